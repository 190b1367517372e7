#include "demodata.h"

#include "session/session.h"

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
    for (int i = 0; i < kShipments; ++i) {
        const Place &from = kPlaces[i % 10];
        const Place &to = kPlaces[(i * 3 + 4) % 10];
        list.append({ CommandType::Submit, id(i),
            { { QStringLiteral("shipFrom"), address(from) },
                { QStringLiteral("shipTo"), address(to) },
                { QStringLiteral("weightInPounds"), 40 + (i * 137) % 1800 },
                { QStringLiteral("billToAccountId"), QString::fromUtf8(kAccounts[i % 6]) } } });
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
    return list;
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
