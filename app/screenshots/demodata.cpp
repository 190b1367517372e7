#include "demodata.h"

#include "domain/timewindow.h"
#include "session/session.h"

#include <QDateTime>
#include <QTimeZone>

#include <algorithm>
#include <utility>

namespace waybill::app {

namespace {
struct Place
{
    const char *city;
    const char *zip;
    const char *company;
    const char *street;
};

const Place kPlaces[] = {
    { "Austin", "78701", "Lone Star Grocers", "201 Congress Ave" },
    { "Dallas", "75201", "Trinity Hardware", "1500 Main St" },
    { "Houston", "77002", "Bayou Bottling", "909 Travis St" },
    { "San Antonio", "78205", "Alamo Outfitters", "300 Alamo Plaza" },
    { "El Paso", "79901", "Franklin Feed & Seed", "120 Mills Ave" },
    { "Fort Worth", "76102", "Stockyards Supply", "400 Throckmorton St" },
    { "Lubbock", "79401", "Plains Cotton Co-op", "1314 Avenue K" },
    { "Corpus Christi", "78401", "Gulf Marine Parts", "500 Shoreline Blvd" },
    { "Amarillo", "79101", "Route 66 Furniture", "700 S Polk St" },
    { "Waco", "76701", "Brazos Books", "510 Austin Ave" },
};
const char *const kAccounts[] = { "ACME-FOODS", "BLUE-RIVER", "CACTUS-TOOLS", "DELTA-PAPER",
    "EVERGREEN-FARMS", "FRONTIER-STEEL" };
constexpr int kShipments = 36;

QJsonObject address(const Place &place)
{
    return { { QStringLiteral("name"), QString::fromUtf8(place.company) },
        { QStringLiteral("line1"), QString::fromUtf8(place.street) },
        { QStringLiteral("city"), QString::fromUtf8(place.city) },
        { QStringLiteral("state"), QStringLiteral("TX") },
        { QStringLiteral("zip"), QString::fromUtf8(place.zip) } };
}

// How far each demo shipment gets: 0 submitted, 1 assigned, 2 shipped, 3 delivered, 4 cancelled.
int stageOf(int i)
{
    if (i % 9 == 4)
        return 4;
    if (i < 13)
        return 3;
    if (i < 19)
        return 2;
    if (i < 27)
        return 1;
    return 0;
}

// Windows over a working week around today, in the computer's time zone: the delivered picked
// up in the days before (a few delivered after their window), the shipped since yesterday (one
// already late), the assigned today and tomorrow (one whose pickup ended yesterday: late), the
// submitted over the days ahead. One today for them all, so that midnight cannot come between
// two of them.
std::pair<TimeWindow, TimeWindow> windowsOf(int i, const QDate &today)
{
    const QTimeZone zone = QTimeZone::systemTimeZone();
    const auto at = [&zone](const QDate &day, int hour, int minute = 0) {
        return QDateTime(day, QTime(hour, minute), zone).toUTC();
    };
    int pickupDay = 0;
    int deliveryDay = 1;
    switch (stageOf(i)) {
    case 3:
        pickupDay = -4 + i % 4;
        deliveryDay = i % 5 == 0 ? pickupDay + 1 : std::max(pickupDay + 1, 1);
        break;
    case 2:
        pickupDay = i == 14 ? -2 : (i % 2 ? -1 : 0);
        deliveryDay = i == 14 ? -1 : 1;
        break;
    case 1:
        pickupDay = i == 19 ? -1 : i % 3;
        deliveryDay = pickupDay + 1;
        break;
    default:
        pickupDay = 1 + i % 4;
        deliveryDay = pickupDay + 1;
        break;
    }
    const int start = 7 + i % 4 * 2; // 07:00, 09:00, 11:00 or 13:00
    const TimeWindow pickup { at(today.addDays(pickupDay), start),
        at(today.addDays(pickupDay), start + 3) };
    const TimeWindow delivery { at(today.addDays(pickupDay), start + 4),
        at(today.addDays(deliveryDay), 23, 59) };
    return { pickup, delivery };
}

QString truckOf(int i)
{
    return QStringLiteral("T-%1").arg(101 + i % 10);
}
} // namespace

DemoData::DemoData(Session *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{ }

QVector<CommandRequest> DemoData::commands()
{
    QVector<CommandRequest> list;
    auto id = [](int i) { return QStringLiteral("S-%1").arg(1001 + i); };
    auto weightOf = [](int i) { return 40 + (i * 137) % 1800; };
    // Accounts with their records; limits wide enough for every submit (tightened at the end).
    const char *const names[] = { "Acme Foods", "Blue River Trading", "Cactus Tools",
        "Delta Paper Co.", "Evergreen Farms", "Frontier Steel" };
    for (int a = 0; a < 6; ++a) {
        QJsonObject body { { QStringLiteral("name"), QString::fromUtf8(names[a]) },
            { QStringLiteral("billingAddress"), address(kPlaces[(a * 3) % 10]) },
            { QStringLiteral("paymentTermsDays"), a % 3 == 0 ? 30 : (a % 3 == 1 ? 45 : 15) } };
        if (a != 4)
            body.insert(QStringLiteral("creditLimit"), 10000);
        list.append({ CommandType::Open, QString::fromUtf8(kAccounts[a]), body });
    }
    // Trucks with a capacity above the most each will carry at once (all assigns come first).
    QVector<int> peak(11, 0);
    for (int i = 0; i < kShipments; ++i) {
        if (stageOf(i) >= 1 && !(stageOf(i) == 4 && i % 2 == 0))
            peak[(i == 5) ? 10 : i % 10] += weightOf(i);
    }
    for (int t = 0; t < 10; ++t) {
        const int capacity = (peak[t] * (12 + t % 4 * 5) / 10 / 1000 + 1) * 1000;
        list.append({ CommandType::Register, truckOf(t),
            { { QStringLiteral("name"),
                  QStringLiteral("%1 %2")
                      .arg(t % 2 ? QStringLiteral("Kenworth") : QStringLiteral("Peterbilt"))
                      .arg(579 + t) },
                { QStringLiteral("capacityPounds"), capacity } } });
    }
    const QDate today
        = QDateTime::currentDateTimeUtc().toTimeZone(QTimeZone::systemTimeZone()).date();
    for (int i = 0; i < kShipments; ++i) {
        const Place &from = kPlaces[i % 10];
        const Place &to = kPlaces[(i * 3 + 4) % 10];
        const auto [pickup, delivery] = windowsOf(i, today);
        list.append({ CommandType::Submit, id(i),
            { { QStringLiteral("shipFrom"), address(from) },
                { QStringLiteral("shipTo"), address(to) },
                { QStringLiteral("weightInPounds"), weightOf(i) },
                { QStringLiteral("billToAccountId"), QString::fromUtf8(kAccounts[i % 6]) },
                { QStringLiteral("pickupWindow"), pickup.toJson() },
                { QStringLiteral("deliveryWindow"), delivery.toJson() } } });
    }
    for (int i = 0; i < kShipments; ++i) {
        if (stageOf(i) >= 1 && !(stageOf(i) == 4 && i % 2 == 0))
            list.append(
                { CommandType::Assign, id(i), { { QStringLiteral("truckId"), truckOf(i) } } });
    }
    // A breakdown: S-1006's truck is replaced before it leaves.
    list.append(
        { CommandType::Assign, id(5), { { QStringLiteral("truckId"), QStringLiteral("T-110") } } });
    for (int i = 0; i < kShipments; ++i) {
        if (stageOf(i) == 2 || stageOf(i) == 3)
            list.append({ CommandType::Ship, id(i), {} });
    }
    const char *const signers[] = { "M. Garza", "J. Nguyen", "R. Patel", "K. Johnson" };
    for (int i = 0; i < kShipments; ++i) {
        if (stageOf(i) == 3)
            list.append({ CommandType::Deliver, id(i),
                { { QStringLiteral("signedBy"), QString::fromUtf8(signers[i % 4]) } } });
        if (stageOf(i) == 4)
            list.append({ CommandType::Cancel, id(i),
                { { QStringLiteral("reason"), QStringLiteral("The customer called it off") } } });
    }
    list.append({ CommandType::Payment, QStringLiteral("ACME-FOODS"),
        { { QStringLiteral("amount"), 500 } } });
    list.append({ CommandType::Payment, QStringLiteral("BLUE-RIVER"),
        { { QStringLiteral("amount"), 120.4 } } });
    list.append({ CommandType::Payment, QStringLiteral("DELTA-PAPER"),
        { { QStringLiteral("amount"), 1000 } } });
    // Corrections and records, each with its reason.
    list.append({ CommandType::Payment, QStringLiteral("DELTA-PAPER"),
        { { QStringLiteral("amount"), 900 } } });
    list.append({ CommandType::Credit, QStringLiteral("ACME-FOODS"),
        { { QStringLiteral("amount"), 45 },
            { QStringLiteral("reason"), QStringLiteral("Pallet damaged on delivery") },
            { QStringLiteral("shipmentId"), id(0) } } });
    list.append({ CommandType::Amend, id(30),
        { { QStringLiteral("weightInPounds"), 950 },
            { QStringLiteral("reason"), QStringLiteral("The customer gave the wrong weight") } } });
    list.append({ CommandType::Update, QStringLiteral("CACTUS-TOOLS"),
        { { QStringLiteral("creditLimit"), 1500 } } });
    list.append({ CommandType::Update, QStringLiteral("ACME-FOODS"),
        { { QStringLiteral("creditLimit"), 1200 } } });
    list.append({ CommandType::Hold, QStringLiteral("FRONTIER-STEEL"),
        { { QStringLiteral("reason"), QStringLiteral("Invoices 60 days overdue") } } });
    // A breakdown with loads on board: they need another truck.
    list.append({ CommandType::OutOfService, truckOf(3),
        { { QStringLiteral("reason"), QStringLiteral("Brake failure on I-35") } } });
    return list;
}

int DemoData::shipments()
{
    return kShipments;
}

int DemoData::deliveries()
{
    int count = 0;
    for (int i = 0; i < kShipments; ++i)
        count += stageOf(i) == 3 ? 1 : 0;
    return count;
}

void DemoData::seed(std::function<void(const QString &)> done)
{
    m_commands = commands();
    m_next = 0;
    m_done = std::move(done);
    sendNext();
}

void DemoData::sendNext()
{
    if (m_next >= m_commands.size()) {
        m_done({});
        return;
    }
    const CommandRequest request = m_commands.at(m_next++);
    m_session->commands()->send(request, this, [this, request](const CommandResult &result) {
        if (result.outcome != CommandResult::Outcome::Succeeded
            && result.outcome != CommandResult::Outcome::Pending) {
            m_done(tr("%1 failed: %2").arg(request.description(), result.message));
            return;
        }
        sendNext();
    });
}

} // namespace waybill::app
