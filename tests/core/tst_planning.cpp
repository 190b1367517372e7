// Planning by the pure reducers: windows given on submit, amend and reschedule in every status;
// lateness judged at a time, at the very edges of the windows and by a clock in another zone;
// on time fixed by the delivered event's own timestamp.
#include "domain/commandvalidation.h"
#include "domain/ids.h"
#include "domain/lateness.h"
#include "domain/shipmentreducer.h"

#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using namespace waybill;

namespace {

// A function, not a global: a global would be built from ids.cpp's globals, which may not be
// initialised yet when this file's are.
QString stream()
{
    return shipmentStreamId(QStringLiteral("s1"));
}

QDateTime utc(int day, int hour, int minute = 0)
{
    return QDateTime(QDate(2026, 12, day), QTime(hour, minute), QTimeZone::utc());
}

// The shipment's windows: pickup 1 December 08:00-12:00, delivery 1 December 14:00 to the end of
// 2 December.
const QDateTime kPickupFrom = utc(1, 8);
const QDateTime kPickupTo = utc(1, 12);
const QDateTime kDeliveryFrom = utc(1, 14);
const QDateTime kDeliveryTo = utc(2, 23, 59).addSecs(59).addMSecs(999);

QJsonObject windowJson(const QDateTime &from, const QDateTime &to)
{
    return { { QStringLiteral("from"), from.toString(Qt::ISODateWithMs) },
        { QStringLiteral("to"), to.toString(Qt::ISODateWithMs) } };
}

QJsonObject address(const QString &name)
{
    return { { QStringLiteral("name"), name },
        { QStringLiteral("line1"), QStringLiteral("1 Main St") },
        { QStringLiteral("city"), QStringLiteral("Des Moines") },
        { QStringLiteral("state"), QStringLiteral("IA") },
        { QStringLiteral("zip"), QStringLiteral("50309") } };
}

Command command(CommandType type, const QJsonObject &body)
{
    Command c;
    c.id = QStringLiteral("cmd");
    c.type = type;
    c.streamId = stream();
    c.user = QStringLiteral("clerk");
    c.acceptedAt = utc(1, 0);
    const ValidationErrors errors = validateCommandBody(type, body, &c.data);
    if (!errors.isEmpty())
        qFatal("test body of %s is invalid: %s", qPrintable(commandTypeName(type)),
            qPrintable(errors.first().message));
    return c;
}

ShipmentState applied(ShipmentState s, const Decision &d, const QDateTime &at)
{
    for (const NewEvent &e : d.events) {
        RecordedEvent r;
        r.streamId = stream();
        r.version = s.version + 1;
        r.position = r.version;
        r.type = e.type;
        r.data = e.data;
        r.timestamp = at;
        r.commandId = QStringLiteral("cmd");
        s = applyShipment(s, r);
    }
    return s;
}

QJsonObject submitBody(bool pickup, bool delivery)
{
    QJsonObject body { { QStringLiteral("shipFrom"), address(QStringLiteral("A")) },
        { QStringLiteral("shipTo"), address(QStringLiteral("B")) },
        { QStringLiteral("weightInPounds"), 10 },
        { QStringLiteral("billToAccountId"), QStringLiteral("acme") } };
    if (pickup)
        body.insert(QStringLiteral("pickupWindow"), windowJson(kPickupFrom, kPickupTo));
    if (delivery)
        body.insert(QStringLiteral("deliveryWindow"), windowJson(kDeliveryFrom, kDeliveryTo));
    return body;
}

// A shipment in `status` through legal commands, its windows given at submit, delivered (when it
// is) at deliveredAt.
ShipmentState shipmentIn(ShipmentStatus status, bool pickup = true, bool delivery = true,
    const QDateTime &deliveredAt = utc(2, 10))
{
    ShipmentState s;
    const auto step = [&](CommandType type, const QJsonObject &body, const QDateTime &at) {
        const Decision d = decideShipment(s, command(type, body), Rules {});
        if (d.isRejected())
            qFatal("setting up the shipment: %s", qPrintable(d.rejection));
        s = applied(s, d, at);
    };
    step(CommandType::Submit, submitBody(pickup, delivery), utc(1, 0));
    if (status == ShipmentStatus::Submitted)
        return s;
    if (status == ShipmentStatus::Cancelled) {
        step(CommandType::Cancel, { { QStringLiteral("reason"), QStringLiteral("gone") } },
            utc(1, 1));
        return s;
    }
    step(CommandType::Assign, { { QStringLiteral("truckId"), QStringLiteral("T-1") } }, utc(1, 2));
    if (status == ShipmentStatus::Assigned)
        return s;
    step(CommandType::Ship, {}, utc(1, 9));
    if (status == ShipmentStatus::Shipped)
        return s;
    step(CommandType::Deliver, {}, deliveredAt);
    return s;
}

QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TestPlanning final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void windowsAreDecidedInEveryStatus_data();
    void windowsAreDecidedInEveryStatus();
    void windowsWithAnOffsetAreRecordedAsTheSameInstantInUtc();
    void badWindowsOnSubmitAreRefusedWithTheirPath_data();
    void badWindowsOnSubmitAreRefusedWithTheirPath();
    void latenessIsJudgedAtTheTimeAsked_data();
    void latenessIsJudgedAtTheTimeAsked();
    void onTimeIsFixedByTheDeliveredEventsTimestamp_data();
    void onTimeIsFixedByTheDeliveredEventsTimestamp();
    void theStoredBodyNeverHoldsLatenessButTheAnswerDoes();
    void theAnswerWrittenFromTheStoredBodyIsTheAnswerWrittenFromTheState_data();
    void theAnswerWrittenFromTheStoredBodyIsTheAnswerWrittenFromTheState();
    void aStoredBodyInAnotherLayoutIsReadAndWrittenAgain();
};

void TestPlanning::windowsAreDecidedInEveryStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("refusal"); // "" when accepted

    const QByteArray newPickup
        = R"({"pickupWindow": {"from": "2026-12-01T09:00:00Z", "to": "2026-12-01T13:00:00Z"}})";
    const QByteArray newDelivery
        = R"({"deliveryWindow": {"from": "2026-12-03T08:00:00Z", "to": "2026-12-03T18:00:00Z"}})";
    const QByteArray amendPickup
        = R"({"reason": "customer called", "pickupWindow": {"from": "2026-12-01T09:00:00Z", "to": "2026-12-01T13:00:00Z"}})";
    const QByteArray deliveryBeforePickup
        = R"({"deliveryWindow": {"from": "2026-11-30T08:00:00Z", "to": "2026-11-30T09:00:00Z"}})";
    const QByteArray same
        = R"({"pickupWindow": {"from": "2026-12-01T08:00:00Z", "to": "2026-12-01T12:00:00Z"}})";
    const auto row = [](const char *name, ShipmentStatus status, const char *command,
                         const QByteArray &body, const char *refusal) {
        QTest::newRow(name) << int(status) << QString::fromLatin1(command) << body
                            << QString::fromLatin1(refusal);
    };
    row("reschedule the pickup while Submitted", ShipmentStatus::Submitted, "reschedule", newPickup,
        "");
    row("reschedule the pickup while Assigned", ShipmentStatus::Assigned, "reschedule", newPickup,
        "");
    row("reschedule the pickup once Shipped: refused", ShipmentStatus::Shipped, "reschedule",
        newPickup, "pickup window can no longer change");
    row("reschedule the delivery once Shipped", ShipmentStatus::Shipped, "reschedule", newDelivery,
        "");
    row("reschedule once Delivered: refused", ShipmentStatus::Delivered, "reschedule", newDelivery,
        "is Delivered");
    row("reschedule once Cancelled: refused", ShipmentStatus::Cancelled, "reschedule", newDelivery,
        "is Cancelled");
    row("reschedule a delivery ending before the pickup starts: refused", ShipmentStatus::Assigned,
        "reschedule", deliveryBeforePickup, "end before its pickup window starts");
    row("reschedule to the windows it has: refused", ShipmentStatus::Submitted, "reschedule", same,
        "changes nothing");
    row("amend the pickup while Submitted", ShipmentStatus::Submitted, "amend", amendPickup, "");
    row("amend the pickup while Assigned", ShipmentStatus::Assigned, "amend", amendPickup, "");
    row("amend once Shipped: refused", ShipmentStatus::Shipped, "amend", amendPickup, "is Shipped");
}

void TestPlanning::windowsAreDecidedInEveryStatus()
{
    QFETCH(int, status);
    QFETCH(QString, command);
    QFETCH(QByteArray, body);
    QFETCH(QString, refusal);
    const ShipmentState before = shipmentIn(static_cast<ShipmentStatus>(status));
    CommandType type;
    QVERIFY(commandTypeFromName(command, &type));
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    const Decision d = decideShipment(before, ::command(type, json), Rules {});
    if (!refusal.isEmpty()) {
        QVERIFY2(d.isRejected(), "accepted what must be refused");
        QVERIFY2(d.rejection.contains(refusal), qPrintable(d.rejection));
        return;
    }
    QVERIFY2(!d.isRejected(), qPrintable(d.rejection));
    const ShipmentState after = applied(before, d, utc(1, 3));
    QCOMPARE(after.status, before.status);
    for (const QString &key :
        { QStringLiteral("pickupWindow"), QStringLiteral("deliveryWindow") }) {
        const auto asked = TimeWindow::fromJson(json.value(key).toObject());
        const auto now
            = key == QLatin1String("pickupWindow") ? after.pickupWindow : after.deliveryWindow;
        const auto was
            = key == QLatin1String("pickupWindow") ? before.pickupWindow : before.deliveryWindow;
        // The window asked for replaces the old one; the other is kept as it was.
        QCOMPARE(now, asked ? asked : was);
    }
}

void TestPlanning::windowsWithAnOffsetAreRecordedAsTheSameInstantInUtc()
{
    QJsonObject body = submitBody(false, false);
    // Entered by a clerk in Tokyo: 17:00 to 21:00 there is 08:00 to 12:00 UTC.
    body.insert(QStringLiteral("pickupWindow"),
        parse(R"({"from": "2026-12-01T17:00:00+09:00", "to": "2026-12-01T21:00:00+09:00"})"));
    const Decision d = decideShipment({}, command(CommandType::Submit, body), Rules {});
    QVERIFY2(!d.isRejected(), qPrintable(d.rejection));
    QCOMPARE(d.events.first().data.value(QStringLiteral("pickupWindow")).toObject(),
        parse(R"({"from": "2026-12-01T08:00:00.000Z", "to": "2026-12-01T12:00:00.000Z"})"));
    const ShipmentState s = applied({}, d, utc(1, 0));
    QCOMPARE(s.pickupWindow->to, kPickupTo);
    // Judged by a clock that reads Tokyo time: the same instants, the same answers.
    const QTimeZone tokyo("Asia/Tokyo");
    QVERIFY(tokyo.isValid());
    QCOMPARE(latenessAt(s, kPickupTo.toTimeZone(tokyo)), Lateness::None);
    QCOMPARE(latenessAt(s, kPickupTo.addMSecs(1).toTimeZone(tokyo)), Lateness::Pickup);
}

void TestPlanning::badWindowsOnSubmitAreRefusedWithTheirPath_data()
{
    QTest::addColumn<QByteArray>("windows");
    QTest::addColumn<QStringList>("paths");
    QTest::newRow("delivery ending before the pickup starts")
        << QByteArray(
               R"({"pickupWindow": {"from": "2026-12-02T08:00:00Z", "to": "2026-12-02T12:00:00Z"},
                         "deliveryWindow": {"from": "2026-12-01T08:00:00Z", "to": "2026-12-01T09:00:00Z"}})")
        << QStringList { QStringLiteral("deliveryWindow/to") };
    QTest::newRow("a window backwards") << QByteArray(
        R"({"pickupWindow": {"from": "2026-12-02T08:00:00Z", "to": "2026-12-01T08:00:00Z"}})")
                                        << QStringList { QStringLiteral("pickupWindow/to") };
    QTest::newRow("an end that is not a time")
        << QByteArray(R"({"deliveryWindow": {"from": "tomorrow", "to": "2026-12-01T08:00:00Z"}})")
        << QStringList { QStringLiteral("deliveryWindow/from") };
    QTest::newRow("an unknown key in a window") << QByteArray(
        R"({"pickupWindow": {"from": "2026-12-01T08:00:00Z", "to": "2026-12-01T09:00:00Z", "tz": "CET"}})")
                                                << QStringList { QStringLiteral(
                                                       "pickupWindow/tz") };
    QTest::newRow("a window that is not an object")
        << QByteArray(R"({"pickupWindow": "tomorrow morning"})")
        << QStringList { QStringLiteral("pickupWindow") };
}

void TestPlanning::badWindowsOnSubmitAreRefusedWithTheirPath()
{
    QFETCH(QByteArray, windows);
    QFETCH(QStringList, paths);
    QJsonObject body = submitBody(false, false);
    const QJsonObject extra = QJsonDocument::fromJson(windows).object();
    QVERIFY(!extra.isEmpty());
    for (auto it = extra.begin(); it != extra.end(); ++it)
        body.insert(it.key(), it.value());
    QJsonObject data;
    QStringList found;
    for (const ValidationError &error : validateCommandBody(CommandType::Submit, body, &data)) {
        QStringList path;
        for (const QJsonValue &step : error.path)
            path << step.toString();
        found << path.join(QLatin1Char('/'));
    }
    QCOMPARE(found, paths);
}

void TestPlanning::latenessIsJudgedAtTheTimeAsked_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("pickup");
    QTest::addColumn<bool>("delivery");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QString>("late");

    const QTimeZone chicago("America/Chicago");
    const auto row = [](const char *name, ShipmentStatus status, bool pickup, bool delivery,
                         const QDateTime &now, const char *late) {
        QTest::newRow(name) << int(status) << pickup << delivery << now
                            << QString::fromLatin1(late);
    };
    row("before any window", ShipmentStatus::Submitted, true, true, utc(1, 7), "");
    row("exactly at the pickup window's end: not late", ShipmentStatus::Submitted, true, true,
        kPickupTo, "");
    row("a millisecond after the pickup window: pickup", ShipmentStatus::Submitted, true, true,
        kPickupTo.addMSecs(1), "pickup");
    row("assigned after the pickup window: pickup", ShipmentStatus::Assigned, true, true,
        utc(1, 13), "pickup");
    row("both windows over and not shipped: pickup wins", ShipmentStatus::Assigned, true, true,
        kDeliveryTo.addMSecs(1), "pickup");
    row("shipped after its pickup window: not late", ShipmentStatus::Shipped, true, true,
        utc(1, 13), "");
    row("shipped, exactly at the delivery window's end: not late", ShipmentStatus::Shipped, true,
        true, kDeliveryTo, "");
    row("shipped, a millisecond after the delivery window: delivery", ShipmentStatus::Shipped, true,
        true, kDeliveryTo.addMSecs(1), "delivery");
    row("no pickup window, delivery over: delivery", ShipmentStatus::Submitted, false, true,
        kDeliveryTo.addMSecs(1), "delivery");
    row("no windows: never late", ShipmentStatus::Assigned, false, false, utc(9, 0), "");
    row("delivered: never late", ShipmentStatus::Delivered, true, true, utc(9, 0), "");
    row("cancelled: never late", ShipmentStatus::Cancelled, true, true, utc(9, 0), "");
    // 06:00 in Chicago on 1 December is 12:00 UTC: the end itself, then a millisecond later.
    row("a clock in Chicago at the pickup window's end: not late", ShipmentStatus::Submitted, true,
        true, QDateTime(QDate(2026, 12, 1), QTime(6, 0), chicago), "");
    row("a clock in Chicago a millisecond later: pickup", ShipmentStatus::Submitted, true, true,
        QDateTime(QDate(2026, 12, 1), QTime(6, 0, 0, 1), chicago), "pickup");
}

void TestPlanning::latenessIsJudgedAtTheTimeAsked()
{
    QFETCH(int, status);
    QFETCH(bool, pickup);
    QFETCH(bool, delivery);
    QFETCH(QDateTime, now);
    QFETCH(QString, late);
    QVERIFY(now.isValid());
    const ShipmentState s = shipmentIn(static_cast<ShipmentStatus>(status), pickup, delivery);
    QCOMPARE(latenessName(latenessAt(s, now)), late);
    const QJsonObject json = shipmentJsonAt(s, now);
    QCOMPARE(json.contains(QStringLiteral("late")), !late.isEmpty());
    QCOMPARE(json.value(QStringLiteral("late")).toString(), late);
    // The same judgement from what the shipment's row keeps beside its body.
    const auto end = [](const std::optional<TimeWindow> &w) {
        return w ? std::optional<qint64>(w->to.toMSecsSinceEpoch()) : std::nullopt;
    };
    QCOMPARE(latenessName(latenessAt(
                 s.status, end(s.pickupWindow), end(s.deliveryWindow), now.toMSecsSinceEpoch())),
        late);
}

void TestPlanning::onTimeIsFixedByTheDeliveredEventsTimestamp_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("delivery");
    QTest::addColumn<QDateTime>("deliveredAt");
    QTest::addColumn<QString>("onTime"); // "true", "false" or "" (absent)

    QTest::newRow("delivered inside the window: on time")
        << int(ShipmentStatus::Delivered) << true << utc(2, 10) << "true";
    QTest::newRow("delivered exactly at the window's end: on time")
        << int(ShipmentStatus::Delivered) << true << kDeliveryTo << "true";
    QTest::newRow("delivered a millisecond after the window: not on time")
        << int(ShipmentStatus::Delivered) << true << kDeliveryTo.addMSecs(1) << "false";
    QTest::newRow("delivered before the window opened: on time")
        << int(ShipmentStatus::Delivered) << true << utc(1, 13) << "true";
    QTest::newRow("delivered without a delivery window: absent")
        << int(ShipmentStatus::Delivered) << false << utc(2, 10) << "";
    QTest::newRow("shipped, not yet delivered: absent")
        << int(ShipmentStatus::Shipped) << true << QDateTime() << "";
}

void TestPlanning::onTimeIsFixedByTheDeliveredEventsTimestamp()
{
    QFETCH(int, status);
    QFETCH(bool, delivery);
    QFETCH(QDateTime, deliveredAt);
    QFETCH(QString, onTime);
    const ShipmentState s
        = shipmentIn(static_cast<ShipmentStatus>(status), true, delivery, deliveredAt);
    const auto expected = onTime.isEmpty() ? std::optional<bool>()
                                           : std::optional<bool>(onTime == QLatin1String("true"));
    QCOMPARE(onTimeOf(s), expected);
    // In the shipment's JSON, whenever it is asked, and in the stored body as it is re-read.
    for (const QDateTime &asked : { utc(2, 0), utc(20, 0) }) {
        const QJsonObject json = shipmentJsonAt(s, asked);
        QCOMPARE(json.contains(QStringLiteral("onTime")), expected.has_value());
        if (expected)
            QCOMPARE(json.value(QStringLiteral("onTime")).toBool(), *expected);
    }
    const QJsonObject stored = QJsonDocument::fromJson(s.toJsonText().toUtf8()).object();
    QCOMPARE(stored, s.toJson());
    QCOMPARE(ShipmentState::fromJson(stored).toJson(), s.toJson());
}

void TestPlanning::theStoredBodyNeverHoldsLatenessButTheAnswerDoes()
{
    const ShipmentState s = shipmentIn(ShipmentStatus::Assigned);
    const QDateTime afterEverything = utc(20, 0);
    QCOMPARE(latenessAt(s, afterEverything), Lateness::Pickup);
    QVERIFY(!s.toJson().contains(QStringLiteral("late")));
    QVERIFY(!s.toJsonText().contains(QLatin1String("\"late\"")));
    QCOMPARE(shipmentJsonAt(s, afterEverything).value(QStringLiteral("late")).toString(),
        QStringLiteral("pickup"));
}

void TestPlanning::theAnswerWrittenFromTheStoredBodyIsTheAnswerWrittenFromTheState_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("pickup");
    QTest::addColumn<bool>("delivery");
    QTest::addColumn<QString>("name"); // the sender's name, where a body could be misread
    QTest::addColumn<QDateTime>("now");

    const QString plain = QStringLiteral("A");
    QTest::newRow("on time: the body as it is")
        << int(ShipmentStatus::Assigned) << true << true << plain << utc(1, 10);
    QTest::newRow("late for pickup")
        << int(ShipmentStatus::Assigned) << true << true << plain << utc(1, 13);
    QTest::newRow("late for delivery")
        << int(ShipmentStatus::Shipped) << true << true << plain << utc(3, 0);
    QTest::newRow("late for delivery, without a pickup window")
        << int(ShipmentStatus::Submitted) << false << true << plain << utc(3, 0);
    QTest::newRow("delivered late: onTime after late's place, never late")
        << int(ShipmentStatus::Delivered) << true << true << plain << utc(9, 0);
    QTest::newRow("cancelled after the windows: never late")
        << int(ShipmentStatus::Cancelled) << true << true << plain << utc(9, 0);
    QTest::newRow("a name holding the key that late follows")
        << int(ShipmentStatus::Submitted) << true << true
        << QStringLiteral("x\"lastCommandTimestamp\":\"y\",\"late\":\"no") << utc(1, 13);
    QTest::newRow("a name in other scripts, before the place of late")
        << int(ShipmentStatus::Assigned) << true << true
        << QStringLiteral("Zoë Łódź 東京 \U0001F69A") << utc(3, 0);
}

void TestPlanning::theAnswerWrittenFromTheStoredBodyIsTheAnswerWrittenFromTheState()
{
    QFETCH(int, status);
    QFETCH(bool, pickup);
    QFETCH(bool, delivery);
    QFETCH(QString, name);
    QFETCH(QDateTime, now);
    ShipmentState s = shipmentIn(static_cast<ShipmentStatus>(status), pickup, delivery);
    s.shipFrom.name = name;
    s.cancelReason = s.status == ShipmentStatus::Cancelled ? name : QString();
    const Lateness late = latenessAt(s, now);
    const QByteArray expected
        = QJsonDocument(shipmentJsonAt(s, now)).toJson(QJsonDocument::Compact);
    QCOMPARE(shipmentJsonTextAt(s.toJsonText(), late), expected);
    // And the shipment read back from that text is the one written.
    const QJsonObject answer
        = QJsonDocument::fromJson(shipmentJsonTextAt(s.toJsonText(), late)).object();
    QCOMPARE(ShipmentState::fromJson(answer).toJson(), s.toJson());
}

void TestPlanning::aStoredBodyInAnotherLayoutIsReadAndWrittenAgain()
{
    const ShipmentState s = shipmentIn(ShipmentStatus::Assigned);
    const QDateTime now = utc(1, 13);
    const QString indented
        = QString::fromUtf8(QJsonDocument(s.toJson()).toJson(QJsonDocument::Indented));
    QCOMPARE(shipmentJsonTextAt(indented, latenessAt(s, now)),
        QJsonDocument(shipmentJsonAt(s, now)).toJson(QJsonDocument::Compact));
}

QTEST_GUILESS_MAIN(TestPlanning)
#include "tst_planning.moc"
