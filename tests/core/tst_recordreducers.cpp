// Accounts and trucks as records, corrections, and the rules that cross streams, decided by the
// pure reducers: every (state, command) pair of an account and of a truck, each cross-stream rule
// against the other stream's state given as an argument, If-Match, and the upcasting of stored
// shapes.
#include "domain/accountreducer.h"
#include "domain/commandvalidation.h"
#include "domain/expectedversion.h"
#include "domain/ids.h"
#include "domain/invoicenumber.h"
#include "domain/shipmentreducer.h"
#include "domain/standing.h"
#include "domain/truckreducer.h"
#include "domain/upcasting.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using namespace waybill;

namespace {

const QString kAccount = QStringLiteral("acme");
const QString kTruck = QStringLiteral("T-1");

QDateTime at(int second)
{
    return QDateTime(QDate(2026, 11, 27), QTime(10, 0, second), QTimeZone::utc());
}

QJsonObject address(const QString &name)
{
    return { { QStringLiteral("name"), name },
        { QStringLiteral("line1"), QStringLiteral("1 Main St") },
        { QStringLiteral("city"), QStringLiteral("Des Moines") },
        { QStringLiteral("state"), QStringLiteral("IA") },
        { QStringLiteral("zip"), QStringLiteral("50309") } };
}

QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

// A command with a body that passed validation (which adds the cents beside the dollars).
Command command(CommandType type, const QString &streamId, const QJsonObject &body,
    const QString &id = QStringLiteral("cmd"))
{
    Command c;
    c.id = id;
    c.type = type;
    c.streamId = streamId;
    c.user = QStringLiteral("clerk");
    c.acceptedAt = at(0);
    const ValidationErrors errors = validateCommandBody(type, body, &c.data);
    if (!errors.isEmpty())
        qFatal("test body of %s is invalid: %s", qPrintable(commandTypeName(type)),
            qPrintable(errors.first().message));
    return c;
}

template<typename State, typename Apply>
State applied(State state, const Decision &decision, const QString &streamId, Apply apply,
    const QString &commandId = QStringLiteral("cmd"))
{
    for (const NewEvent &e : decision.events) {
        RecordedEvent r;
        r.streamId = streamId;
        r.version = state.version + 1;
        r.position = r.version;
        r.type = e.type;
        r.data = upcastEventData(e.type, e.data);
        r.timestamp = at(r.version);
        r.commandId = commandId;
        state = apply(state, r);
    }
    return state;
}

AccountState applyToAccount(AccountState state, const Decision &d, const QString &commandId = {})
{
    return applied(state, d, accountStreamId(kAccount), &applyAccount,
        commandId.isEmpty() ? QStringLiteral("cmd") : commandId);
}

Command accountCommand(CommandType type, const QJsonObject &body, const QString &id = {})
{
    return command(
        type, accountStreamId(kAccount), body, id.isEmpty() ? QStringLiteral("cmd") : id);
}

// An account in one of the states the table names, reached through legal commands only.
AccountState accountIn(const QString &name)
{
    AccountState a;
    if (name == QLatin1String("none"))
        return a;
    if (name == QLatin1String("known")) {
        // Known from a payment only (as every account of the first release).
        return applyToAccount(a,
            decideAccount(a,
                accountCommand(
                    CommandType::Payment, parse(R"({"amount": 50})"), QStringLiteral("p-1"))),
            QStringLiteral("p-1"));
    }
    a = applyToAccount(a,
        decideAccount(a,
            accountCommand(
                CommandType::Payment, parse(R"({"amount": 50})"), QStringLiteral("p-1"))),
        QStringLiteral("p-1"));
    a = applyToAccount(a,
        decideAccount(a,
            accountCommand(CommandType::Open,
                { { QStringLiteral("name"), QStringLiteral("Acme Corp") },
                    { QStringLiteral("billingAddress"), address(QStringLiteral("Acme Corp")) } })));
    if (name == QLatin1String("on hold"))
        a = applyToAccount(a,
            decideAccount(
                a, accountCommand(CommandType::Hold, parse(R"({"reason": "late payer"})"))));
    return a;
}

Command accountCommandFor(const QString &name)
{
    if (name == QLatin1String("open"))
        return accountCommand(CommandType::Open,
            { { QStringLiteral("name"), QStringLiteral("Acme Corporation") },
                { QStringLiteral("billingAddress"), address(QStringLiteral("Acme Billing")) },
                { QStringLiteral("paymentTermsDays"), 45 },
                { QStringLiteral("creditLimit"), 2500.5 } });
    if (name == QLatin1String("update"))
        return accountCommand(CommandType::Update, parse(R"({"paymentTermsDays": 60})"));
    if (name == QLatin1String("hold"))
        return accountCommand(CommandType::Hold, parse(R"({"reason": "cheque bounced"})"));
    if (name == QLatin1String("release"))
        return accountCommand(CommandType::Release, {});
    if (name == QLatin1String("payment"))
        return accountCommand(CommandType::Payment, parse(R"({"amount": 12.34})"));
    if (name == QLatin1String("credit"))
        return accountCommand(
            CommandType::Credit, parse(R"({"amount": 5, "reason": "damaged crate"})"));
    if (name == QLatin1String("reverse-payment"))
        return accountCommand(CommandType::ReversePayment,
            parse(R"({"paymentCommandId": "p-1", "reason": "keyed twice"})"));
    Command invoice;
    invoice.id = QStringLiteral("invoice-for-shipment-s1");
    invoice.type = CommandType::Invoice;
    invoice.streamId = accountStreamId(kAccount);
    invoice.data = { { QStringLiteral("shipmentId"), QStringLiteral("s1") },
        { QStringLiteral("amountCents"), 280 } };
    return invoice;
}

// The payment p-1 of $50.00, as the engine finds it in the log, when the account has it.
AccountContext paymentContext(const AccountState &state)
{
    AccountContext context;
    if (state.paymentCount > 0)
        context.payment = RecordedPayment { accountStreamId(kAccount), 5000 };
    context.invoiceNumber = 7;
    context.now = QDateTime(QDate(2026, 11, 27), QTime(10, 0), Qt::UTC);
    return context;
}

TruckState applyToTruck(TruckState state, const Decision &d)
{
    return applied(state, d, truckStreamId(kTruck), &applyTruck);
}

Command truckCommand(CommandType type, const QJsonObject &body)
{
    return command(type, truckStreamId(kTruck), body);
}

TruckState truckIn(const QString &name)
{
    TruckState t;
    if (name == QLatin1String("none"))
        return t;
    t = applyToTruck(t,
        decideTruck(t,
            truckCommand(
                CommandType::Register, parse(R"({"name": "Big Blue", "capacityPounds": 40000})"))));
    if (name == QLatin1String("out of service"))
        t = applyToTruck(t,
            decideTruck(
                t, truckCommand(CommandType::OutOfService, parse(R"({"reason": "flat tire"})"))));
    return t;
}

Command truckCommandFor(const QString &name)
{
    if (name == QLatin1String("register"))
        return truckCommand(CommandType::Register, parse(R"({"capacityPounds": 26000})"));
    if (name == QLatin1String("out-of-service"))
        return truckCommand(CommandType::OutOfService, parse(R"({"reason": "brakes"})"));
    return truckCommand(CommandType::ReturnToService, {});
}

// A shipment of 10 lb ($2.80) billed to acme, in a status, through legal commands only.
ShipmentState shipmentIn(ShipmentStatus status)
{
    const QString stream = shipmentStreamId(QStringLiteral("s1"));
    ShipmentState s;
    const auto step = [&](CommandType type, const QJsonObject &body) {
        const Decision d = decideShipment(s, command(type, stream, body), Rules {});
        if (d.isRejected())
            qFatal("setting up the shipment: %s", qPrintable(d.rejection));
        s = applied(s, d, stream, &applyShipment);
    };
    step(CommandType::Submit,
        { { QStringLiteral("shipFrom"), address(QStringLiteral("A")) },
            { QStringLiteral("shipTo"), address(QStringLiteral("B")) },
            { QStringLiteral("weightInPounds"), 10 },
            { QStringLiteral("billToAccountId"), kAccount } });
    if (status == ShipmentStatus::Submitted)
        return s;
    step(CommandType::Assign, { { QStringLiteral("truckId"), kTruck } });
    if (status == ShipmentStatus::Assigned)
        return s;
    step(CommandType::Ship, {});
    if (status == ShipmentStatus::Shipped)
        return s;
    if (status == ShipmentStatus::Cancelled)
        qFatal("a shipped shipment cannot be cancelled");
    step(CommandType::Deliver, {});
    return s;
}

} // namespace

class TestRecordReducers final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyAccountStateAndCommandPairIsDecided_data();
    void everyAccountStateAndCommandPairIsDecided();
    void openRecordsTheBodyAndItsLimitInCents();
    void updateRecordsOnlyWhatChangesAndNullRemovesTheLimit();
    void aPaymentIsReversedOnceAndOnlyOnItsOwnAccount();
    void balanceIsPaymentsLessReversalsPlusCreditsLessInvoicesToTheCent();
    void everyTruckStateAndCommandPairIsDecided_data();
    void everyTruckStateAndCommandPairIsDecided();
    void crossStreamRulesAreDecidedOnTheOtherStreamsState_data();
    void crossStreamRulesAreDecidedOnTheOtherStreamsState();
    void amendRecordsOnlyWhatChangesAndRepricesOnlyOnWeight();
    void rescheduleKeepsThePickupOnceShippedAndWindowsInOrder();
    void exposureIsWhatIsOwedPlusWhatIsNotYetInvoiced_data();
    void exposureIsWhatIsOwedPlusWhatIsNotYetInvoiced();
    void aShipmentCommitsItsCostAndLoadsItsTruckByStatus_data();
    void aShipmentCommitsItsCostAndLoadsItsTruckByStatus();
    void ifMatchNamingAnotherVersionSaysBoth();
    void upcastingLeavesTheFirstReleasesShapesAsStored_data();
    void upcastingLeavesTheFirstReleasesShapesAsStored();
    void openedWithoutPaymentTermsReadsAsTheDefault();
    void anInvoiceCarriesItsNumberAndIsDueAfterTheAccountsTerms_data();
    void anInvoiceCarriesItsNumberAndIsDueAfterTheAccountsTerms();
    void anInvoiceWithoutANumberIsRefused();
    void invoiceNumbersReadBackOnlyInTheirOneForm_data();
    void invoiceNumbersReadBackOnlyInTheirOneForm();
    void newCommandBodiesAreCheckedWithEveryErrorAndPath_data();
    void newCommandBodiesAreCheckedWithEveryErrorAndPath();
};

void TestRecordReducers::everyAccountStateAndCommandPairIsDecided_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("event"); // empty when rejected
    QTest::addColumn<QString>("rejectionMentions");
    struct Row
    {
        const char *state, *command, *event, *why;
    };
    const Row rows[] = {
        { "none", "open", "opened", "" },
        { "none", "update", "", "is not open" },
        { "none", "hold", "", "is not open" },
        { "none", "release", "", "is not on hold" },
        { "none", "payment", "paymentReceived", "" },
        { "none", "credit", "", "has no history" },
        { "none", "reverse-payment", "", "No payment on account acme" },
        { "none", "invoice", "invoiced", "" },
        { "known", "open", "opened", "" },
        { "known", "update", "", "is not open" },
        { "known", "hold", "", "is not open" },
        { "known", "release", "", "is not on hold" },
        { "known", "payment", "paymentReceived", "" },
        { "known", "credit", "credited", "" },
        { "known", "reverse-payment", "paymentReversed", "" },
        { "known", "invoice", "invoiced", "" },
        { "open", "open", "", "open already" },
        { "open", "update", "updated", "" },
        { "open", "hold", "placedOnHold", "" },
        { "open", "release", "", "is not on hold" },
        { "open", "payment", "paymentReceived", "" },
        { "open", "credit", "credited", "" },
        { "open", "reverse-payment", "paymentReversed", "" },
        { "open", "invoice", "invoiced", "" },
        { "on hold", "open", "", "open already" },
        { "on hold", "update", "updated", "" },
        { "on hold", "hold", "", "on hold already (late payer)" },
        { "on hold", "release", "released", "" },
        { "on hold", "payment", "paymentReceived", "" },
        { "on hold", "credit", "credited", "" },
        { "on hold", "reverse-payment", "paymentReversed", "" },
        { "on hold", "invoice", "invoiced", "" },
    };
    for (const Row &r : rows)
        QTest::addRow("%s %s -> %s", r.state, r.command, *r.event ? r.event : "rejected")
            << QString::fromLatin1(r.state) << QString::fromLatin1(r.command)
            << QString::fromLatin1(r.event) << QString::fromLatin1(r.why);
}

void TestRecordReducers::everyAccountStateAndCommandPairIsDecided()
{
    QFETCH(QString, state);
    QFETCH(QString, command);
    QFETCH(QString, event);
    QFETCH(QString, rejectionMentions);
    const AccountState before = accountIn(state);
    const Decision d
        = decideAccount(before, accountCommandFor(command), Rules {}, paymentContext(before));
    if (event.isEmpty()) {
        QVERIFY2(d.isRejected(), "an illegal command must be rejected");
        QVERIFY(d.events.isEmpty());
        QVERIFY2(d.rejection.contains(rejectionMentions),
            qPrintable(
                QStringLiteral("\"%1\" should say \"%2\"").arg(d.rejection, rejectionMentions)));
        return;
    }
    QVERIFY2(!d.isRejected(), qPrintable(d.rejection));
    QCOMPARE(d.events.size(), 1);
    QCOMPARE(d.events.first().type, event);
    const AccountState after = applyToAccount(before, d);
    QCOMPARE(after.version, before.version + 1);
    QCOMPARE(after.id, kAccount);
    if (event == QLatin1String("opened")) {
        QVERIFY(after.registered);
        QCOMPARE(after.name, QStringLiteral("Acme Corporation"));
        QCOMPARE(after.paymentTermsDays, 45);
        QCOMPARE(after.creditLimitCents, std::optional<Cents>(250050));
        QCOMPARE(after.balanceCents, before.balanceCents);
    } else if (event == QLatin1String("updated")) {
        QCOMPARE(after.paymentTermsDays, 60);
        QCOMPARE(after.name, before.name);
        QCOMPARE(after.onHold, before.onHold);
    } else if (event == QLatin1String("placedOnHold")) {
        QVERIFY(after.onHold);
        QCOMPARE(after.holdReason, QStringLiteral("cheque bounced"));
    } else if (event == QLatin1String("released")) {
        QVERIFY(!after.onHold);
        QVERIFY(after.holdReason.isEmpty());
    } else if (event == QLatin1String("paymentReceived")) {
        QCOMPARE(after.balanceCents, before.balanceCents + 1234);
    } else if (event == QLatin1String("credited")) {
        QCOMPARE(after.balanceCents, before.balanceCents + 500);
        QCOMPARE(after.creditedCents, Cents(500));
        QCOMPARE(d.events.first().data.value(QStringLiteral("reason")).toString(),
            QStringLiteral("damaged crate"));
    } else if (event == QLatin1String("paymentReversed")) {
        QCOMPARE(after.balanceCents, before.balanceCents - 5000);
        QCOMPARE(after.reversedCents, Cents(5000));
        QCOMPARE(after.reversedPayments, QStringList { QStringLiteral("p-1") });
        QCOMPARE(d.events.first().data.value(QStringLiteral("amountCents")).toInteger(), 5000);
        QCOMPARE(d.events.first().data.value(QStringLiteral("reason")).toString(),
            QStringLiteral("keyed twice"));
    } else if (event == QLatin1String("invoiced")) {
        QCOMPARE(after.balanceCents, before.balanceCents - 280);
    }
}

void TestRecordReducers::openRecordsTheBodyAndItsLimitInCents()
{
    const Decision d = decideAccount(AccountState {}, accountCommandFor(QStringLiteral("open")));
    const QJsonObject data = d.events.first().data;
    QCOMPARE(data.value(QStringLiteral("creditLimitCents")).toInteger(), 250050);
    QCOMPARE(data.value(QStringLiteral("creditLimit")).toDouble(), 2500.5);
    QCOMPARE(data.value(QStringLiteral("paymentTermsDays")).toInt(), 45);
    QCOMPARE(data.value(QStringLiteral("billingAddress")).toObject(),
        address(QStringLiteral("Acme Billing")));
    // An account opened without terms or a limit has the default terms and no limit.
    const Decision plain = decideAccount(AccountState {},
        accountCommand(CommandType::Open,
            { { QStringLiteral("name"), QStringLiteral("Plain") },
                { QStringLiteral("billingAddress"), address(QStringLiteral("Plain")) } }));
    const AccountState a = applyToAccount(AccountState {}, plain);
    QCOMPARE(a.paymentTermsDays, 30);
    QVERIFY(!a.creditLimitCents);
    QVERIFY(!a.toJson().contains(QStringLiteral("creditLimit")));
}

void TestRecordReducers::updateRecordsOnlyWhatChangesAndNullRemovesTheLimit()
{
    AccountState a = accountIn(QStringLiteral("open"));
    a = applyToAccount(
        a, decideAccount(a, accountCommand(CommandType::Update, parse(R"({"creditLimit": 100})"))));
    QCOMPARE(a.creditLimitCents, std::optional<Cents>(10000));
    const Decision same = decideAccount(a,
        accountCommand(
            CommandType::Update, parse(R"({"name": "Acme Corp", "creditLimit": 100.00})")));
    QVERIFY2(same.isRejected() && same.rejection.contains(QLatin1String("changes nothing")),
        qPrintable(same.rejection));
    const Decision some = decideAccount(a,
        accountCommand(
            CommandType::Update, parse(R"({"name": "Acme Corp", "paymentTermsDays": 0})")));
    QVERIFY(!some.isRejected());
    QCOMPARE(some.events.first().data, parse(R"({"paymentTermsDays": 0})"));
    const Decision removed
        = decideAccount(a, accountCommand(CommandType::Update, parse(R"({"creditLimit": null})")));
    QCOMPARE(
        removed.events.first().data, parse(R"({"creditLimit": null, "creditLimitCents": null})"));
    a = applyToAccount(a, removed);
    QVERIFY(!a.creditLimitCents);
    QCOMPARE(a.paymentTermsDays, 30);
}

void TestRecordReducers::aPaymentIsReversedOnceAndOnlyOnItsOwnAccount()
{
    AccountState a = accountIn(QStringLiteral("known"));
    const Command reverse = accountCommandFor(QStringLiteral("reverse-payment"));
    const Decision first = decideAccount(a, reverse, Rules {}, paymentContext(a));
    QVERIFY(!first.isRejected());
    a = applyToAccount(a, first);
    const Decision second = decideAccount(a, reverse, Rules {}, paymentContext(a));
    QVERIFY(second.isRejected());
    QVERIFY2(
        second.rejection.contains(QLatin1String("reversed already")), qPrintable(second.rejection));

    AccountContext elsewhere;
    elsewhere.payment = RecordedPayment { accountStreamId(QStringLiteral("globex")), 5000 };
    const Decision other
        = decideAccount(accountIn(QStringLiteral("known")), reverse, Rules {}, elsewhere);
    QVERIFY(other.isRejected());
    QVERIFY2(other.rejection.contains(
                 QLatin1String("No payment on account acme was recorded by command p-1")),
        qPrintable(other.rejection));
}

void TestRecordReducers::balanceIsPaymentsLessReversalsPlusCreditsLessInvoicesToTheCent()
{
    AccountState a;
    const auto pay = [&](const char *amount, const QString &id) {
        a = applyToAccount(a,
            decideAccount(a,
                accountCommand(CommandType::Payment,
                    { { QStringLiteral("amount"),
                        QJsonDocument::fromJson(QByteArray("[") + amount + "]").array().first() } },
                    id)),
            id);
    };
    pay("1000", QStringLiteral("p-1")); // keyed as $1,000 instead of $100
    pay("0.1", QStringLiteral("p-2"));
    pay("0.2", QStringLiteral("p-3"));
    AccountContext context;
    context.payment = RecordedPayment { accountStreamId(kAccount), 100000 };
    a = applyToAccount(a,
        decideAccount(a,
            accountCommand(CommandType::ReversePayment,
                parse(R"({"paymentCommandId": "p-1", "reason": "keyed $1,000 for $100"})")),
            Rules {}, context));
    pay("100", QStringLiteral("p-4"));
    a = applyToAccount(a,
        decideAccount(a,
            accountCommand(
                CommandType::Credit, parse(R"({"amount": 0.07, "reason": "goodwill"})"))));
    Command invoice = accountCommandFor(QStringLiteral("invoice"));
    invoice.data.insert(QStringLiteral("amountCents"), 33333);
    a = applyToAccount(a, decideAccount(a, invoice, Rules {}, paymentContext(a)));
    QCOMPARE(a.balanceCents, Cents(100000 + 10 + 20 - 100000 + 10000 + 7 - 33333));
    QCOMPARE(a.toJson().value(QStringLiteral("balance")).toDouble(), -232.96);
    QCOMPARE(a.paidCents, Cents(110030));
    QCOMPARE(a.reversedCents, Cents(100000));
    QCOMPARE(a.creditedCents, Cents(7));
    QCOMPARE(a.owedCents(), Cents(23296));
}

void TestRecordReducers::everyTruckStateAndCommandPairIsDecided_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("event");
    QTest::addColumn<QString>("rejectionMentions");
    struct Row
    {
        const char *state, *command, *event, *why;
    };
    const Row rows[] = {
        { "none", "register", "registered", "" },
        { "none", "out-of-service", "", "is not registered" },
        { "none", "return-to-service", "", "is not out of service" },
        { "registered", "register", "", "registered already" },
        { "registered", "out-of-service", "outOfService", "" },
        { "registered", "return-to-service", "", "is not out of service" },
        { "out of service", "register", "", "registered already" },
        { "out of service", "out-of-service", "", "out of service already (flat tire)" },
        { "out of service", "return-to-service", "returnedToService", "" },
    };
    for (const Row &r : rows)
        QTest::addRow("%s %s -> %s", r.state, r.command, *r.event ? r.event : "rejected")
            << QString::fromLatin1(r.state) << QString::fromLatin1(r.command)
            << QString::fromLatin1(r.event) << QString::fromLatin1(r.why);
}

void TestRecordReducers::everyTruckStateAndCommandPairIsDecided()
{
    QFETCH(QString, state);
    QFETCH(QString, command);
    QFETCH(QString, event);
    QFETCH(QString, rejectionMentions);
    const TruckState before = truckIn(state);
    const Decision d = decideTruck(before, truckCommandFor(command));
    if (event.isEmpty()) {
        QVERIFY(d.isRejected());
        QVERIFY2(d.rejection.contains(rejectionMentions),
            qPrintable(
                QStringLiteral("\"%1\" should say \"%2\"").arg(d.rejection, rejectionMentions)));
        return;
    }
    QVERIFY2(!d.isRejected(), qPrintable(d.rejection));
    QCOMPARE(d.events.first().type, event);
    const TruckState after = applyToTruck(before, d);
    QCOMPARE(after.version, before.version + 1);
    QCOMPARE(after.id, kTruck);
    if (event == QLatin1String("registered")) {
        QVERIFY(after.registered);
        QCOMPARE(after.capacityPounds, std::optional<int>(26000));
        QVERIFY(after.inService);
    } else if (event == QLatin1String("outOfService")) {
        QVERIFY(!after.inService);
        QCOMPARE(after.outOfServiceReason, QStringLiteral("brakes"));
    } else {
        QVERIFY(after.inService);
        QVERIFY(after.outOfServiceReason.isEmpty());
    }
}

void TestRecordReducers::crossStreamRulesAreDecidedOnTheOtherStreamsState_data()
{
    QTest::addColumn<int>("status"); // of the shipment before
    QTest::addColumn<QString>("command"); // name
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<bool>("registered"); // the account, or the truck
    QTest::addColumn<bool>("stopped"); // on hold, or out of service
    QTest::addColumn<int>("limit"); // credit limit in cents, or capacity in pounds; -1: none
    QTest::addColumn<int>("used"); // exposure in cents, or load in hundredths of a pound
    QTest::addColumn<bool>("requireRegistered");
    QTest::addColumn<QString>("rejectionMentions"); // empty: accepted

    const int submitted = int(ShipmentStatus::None);
    const QJsonObject submit { { QStringLiteral("shipFrom"), address(QStringLiteral("A")) },
        { QStringLiteral("shipTo"), address(QStringLiteral("B")) },
        { QStringLiteral("weightInPounds"), 10 }, { QStringLiteral("billToAccountId"), kAccount } };
    const QJsonObject heavier = parse(R"({"weightInPounds": 20, "reason": "reweighed"})");
    const QJsonObject lighter = parse(R"({"weightInPounds": 5, "reason": "reweighed"})");
    const QJsonObject moved = parse(R"({"billToAccountId": "globex", "reason": "billed wrong"})");
    const QJsonObject readdressed = { { QStringLiteral("shipTo"), address(QStringLiteral("C")) },
        { QStringLiteral("reason"), QStringLiteral("new dock") } };
    const QJsonObject assign { { QStringLiteral("truckId"), kTruck } };
    const int s = int(ShipmentStatus::Submitted);
    const int a = int(ShipmentStatus::Assigned);

    // Credit limit and hold on submit: the 10 lb shipment costs $2.80.
    QTest::newRow("submit, no limit")
        << submitted << "submit" << submit << true << false << -1 << 999999 << false << "";
    QTest::newRow("submit up to the limit exactly")
        << submitted << "submit" << submit << true << false << 1000 << 720 << false << "";
    QTest::newRow("submit a cent past the limit")
        << submitted << "submit" << submit << true << false << 1000 << 721 << false
        << "exposure to $10.01, past its credit limit of $10.00";
    QTest::newRow("submit on hold") << submitted << "submit" << submit << true << true << -1 << 0
                                    << false << "on hold (late payer)";
    QTest::newRow("submit to an unopened account, switch off")
        << submitted << "submit" << submit << false << false << -1 << 0 << false << "";
    QTest::newRow("submit to an unopened account, switch on")
        << submitted << "submit" << submit << false << false << -1 << 0 << true << "not registered";
    QTest::newRow("submit to an opened account, switch on")
        << submitted << "submit" << submit << true << false << -1 << 0 << true << "";
    // Amends that change the bill.
    QTest::newRow("amend heavier past the limit")
        << s << "amend" << heavier << true << false << 1000 << 800 << false << "exposure to $10.80";
    QTest::newRow("amend heavier within the limit")
        << s << "amend" << heavier << true << false << 1000 << 720 << false << "";
    QTest::newRow("amend lighter while past the limit")
        << s << "amend" << lighter << true << false << 1000 << 5000 << false << "";
    QTest::newRow("amend the cost on hold")
        << s << "amend" << lighter << true << true << -1 << 0 << false << "on hold";
    QTest::newRow("amend the address on hold")
        << s << "amend" << readdressed << true << true << 1000 << 5000 << false << "";
    QTest::newRow("amend to another account on hold")
        << s << "amend" << moved << true << true << -1 << 0 << false << "on hold";
    QTest::newRow("amend to another account past its limit")
        << s << "amend" << moved << true << false << 1000 << 721 << false
        << "past its credit limit";
    QTest::newRow("amend to an unopened account, switch on")
        << s << "amend" << moved << false << false << -1 << 0 << true << "not registered";
    QTest::newRow("amend the cost on an unopened account, switch on")
        << s << "amend" << heavier << false << false << -1 << 0 << true << "";
    // Trucks: the shipment weighs 10 lb (1000 hundredths).
    QTest::newRow("assign, no capacity")
        << s << "assign" << assign << true << false << -1 << 9999999 << false << "";
    QTest::newRow("assign up to the capacity exactly")
        << s << "assign" << assign << true << false << 100 << 9000 << false << "";
    QTest::newRow("assign past the capacity")
        << s << "assign" << assign << true << false << 100 << 9001 << false
        << "load truck T-1 to 100.01 lb, past its capacity of 100 lb";
    QTest::newRow("assign to a truck out of service")
        << s << "assign" << assign << true << true << -1 << 0 << false
        << "out of service (flat tire)";
    QTest::newRow("assign an unregistered truck, switch off")
        << s << "assign" << assign << false << false << -1 << 0 << false << "";
    QTest::newRow("assign an unregistered truck, switch on")
        << s << "assign" << assign << false << false << -1 << 0 << true << "not registered";
    QTest::newRow("amend an assigned load past its truck's capacity")
        << a << "amend" << heavier << true << false << 100 << 9001 << false
        << "past its capacity of 100 lb";
    QTest::newRow("amend an assigned load within its truck's capacity")
        << a << "amend" << heavier << true << false << 100 << 8000 << false << "";
}

void TestRecordReducers::crossStreamRulesAreDecidedOnTheOtherStreamsState()
{
    QFETCH(int, status);
    QFETCH(QString, command);
    QFETCH(QJsonObject, body);
    QFETCH(bool, registered);
    QFETCH(bool, stopped);
    QFETCH(int, limit);
    QFETCH(int, used);
    QFETCH(bool, requireRegistered);
    QFETCH(QString, rejectionMentions);

    const ShipmentState before = status == int(ShipmentStatus::None)
        ? ShipmentState {}
        : shipmentIn(static_cast<ShipmentStatus>(status));
    CommandType type;
    QVERIFY(commandTypeFromName(command, &type));
    Rules rules;
    ShipmentContext context;
    const bool onTruck = type == CommandType::Assign
        || (type == CommandType::Amend && status == int(ShipmentStatus::Assigned));
    if (onTruck) {
        rules.requireRegisteredTrucks = requireRegistered;
        TruckStanding truck;
        truck.truckId = kTruck;
        truck.registered = registered;
        truck.inService = !stopped;
        truck.outOfServiceReason = QStringLiteral("flat tire");
        if (limit >= 0)
            truck.capacityPounds = limit;
        // An assigned shipment's own weight is in its truck's load already.
        truck.loadHundredths = used;
        context.truck = truck;
    } else {
        rules.requireRegisteredAccounts = requireRegistered;
        AccountStanding account;
        account.accountId = kAccount;
        account.registered = registered;
        account.onHold = stopped;
        account.holdReason = QStringLiteral("late payer");
        if (limit >= 0)
            account.creditLimitCents = limit;
        account.exposureCents = used;
        context.account = account;
    }
    const Decision d = decideShipment(
        before, ::command(type, shipmentStreamId(QStringLiteral("s1")), body), rules, context);
    if (rejectionMentions.isEmpty()) {
        QVERIFY2(!d.isRejected(), qPrintable(d.rejection));
        return;
    }
    QVERIFY2(d.isRejected(), "the rule must refuse it");
    QVERIFY2(d.rejection.contains(rejectionMentions),
        qPrintable(QStringLiteral("\"%1\" should say \"%2\"").arg(d.rejection, rejectionMentions)));
}

void TestRecordReducers::amendRecordsOnlyWhatChangesAndRepricesOnlyOnWeight()
{
    const ShipmentState s = shipmentIn(ShipmentStatus::Submitted);
    const QString stream = shipmentStreamId(QStringLiteral("s1"));
    const QJsonObject sameWeight = parse(R"({"weightInPounds": 10, "reason": "checked"})");
    const Decision nothing
        = decideShipment(s, command(CommandType::Amend, stream, sameWeight), Rules {});
    QVERIFY(nothing.isRejected());
    QVERIFY2(nothing.rejection.contains(QLatin1String("changes nothing")),
        qPrintable(nothing.rejection));

    QJsonObject readdress { { QStringLiteral("shipTo"), address(QStringLiteral("C")) },
        { QStringLiteral("weightInPounds"), 10 },
        { QStringLiteral("reason"), QStringLiteral("new dock") } };
    const Decision moved
        = decideShipment(s, command(CommandType::Amend, stream, readdress), Rules {});
    QVERIFY(!moved.isRejected());
    QCOMPARE(moved.events.first().data,
        QJsonObject({ { QStringLiteral("shipTo"), address(QStringLiteral("C")) },
            { QStringLiteral("reason"), QStringLiteral("new dock") } }));
    const ShipmentState after = applied(s, moved, stream, &applyShipment);
    QCOMPARE(after.shipTo.name, QStringLiteral("C"));
    QCOMPARE(after.costCents, Cents(280));

    // A rate table changed since the submit does not re-price an amend that keeps the weight.
    Rules dearer;
    dearer.rates = RateTable::flat(99, 0);
    const Decision kept = decideShipment(s, command(CommandType::Amend, stream, readdress), dearer);
    QVERIFY(!kept.events.first().data.contains(QStringLiteral("costCents")));
    const Decision repriced = decideShipment(s,
        command(
            CommandType::Amend, stream, parse(R"({"weightInPounds": 10.5, "reason": "scale"})")),
        dearer);
    QCOMPARE(repriced.events.first().data.value(QStringLiteral("costCents")).toInteger(), 1040);
    QCOMPARE(repriced.events.first().data.value(QStringLiteral("cost")).toDouble(), 10.4);
}

void TestRecordReducers::rescheduleKeepsThePickupOnceShippedAndWindowsInOrder()
{
    const QString stream = shipmentStreamId(QStringLiteral("s1"));
    const QJsonObject pickup = parse(
        R"({"pickupWindow": {"from": "2026-12-01T08:00:00Z", "to": "2026-12-01T10:00:00Z"}})");
    const Decision shipped = decideShipment(shipmentIn(ShipmentStatus::Shipped),
        command(CommandType::Reschedule, stream, pickup), Rules {});
    QVERIFY(shipped.isRejected());
    QVERIFY2(shipped.rejection.contains(QLatin1String("pickup window can no longer change")),
        qPrintable(shipped.rejection));

    ShipmentState s = shipmentIn(ShipmentStatus::Submitted);
    const Decision first
        = decideShipment(s, command(CommandType::Reschedule, stream, pickup), Rules {});
    QVERIFY2(!first.isRejected(), qPrintable(first.rejection));
    QVERIFY(!first.events.first().data.contains(QStringLiteral("reason")));
    s = applied(s, first, stream, &applyShipment);
    // A delivery window that ends before the pickup starts, given alone, is refused.
    const Decision early = decideShipment(s,
        command(CommandType::Reschedule, stream,
            parse(
                R"({"deliveryWindow": {"from": "2026-11-30T08:00:00Z", "to": "2026-11-30T09:00:00Z"}, "reason": "x"})")),
        Rules {});
    QVERIFY(early.isRejected());
    QVERIFY2(early.rejection.contains(QLatin1String("end before its pickup window starts")),
        qPrintable(early.rejection));
    const Decision again
        = decideShipment(s, command(CommandType::Reschedule, stream, pickup), Rules {});
    QVERIFY(again.isRejected());
    QVERIFY2(
        again.rejection.contains(QLatin1String("changes nothing")), qPrintable(again.rejection));
    QCOMPARE(s.toJson().value(QStringLiteral("pickupWindow")).toObject(),
        parse(R"({"from": "2026-12-01T08:00:00.000Z", "to": "2026-12-01T10:00:00.000Z"})"));
}

void TestRecordReducers::exposureIsWhatIsOwedPlusWhatIsNotYetInvoiced_data()
{
    QTest::addColumn<int>("balance");
    QTest::addColumn<int>("invoiced");
    QTest::addColumn<int>("committed");
    QTest::addColumn<int>("exposure");
    QTest::newRow("nothing") << 0 << 0 << 0 << 0;
    QTest::newRow("shipments not yet invoiced") << 0 << 0 << 1234 << 1234;
    QTest::newRow("invoiced and unpaid") << -500 << 500 << 500 << 500;
    QTest::newRow("owed plus not yet invoiced") << -500 << 500 << 1500 << 1500;
    QTest::newRow("paid in full, more on the road") << 0 << 500 << 800 << 300;
    QTest::newRow("paid ahead does not offset what is on the road") << 700 << 500 << 800 << 300;
}

void TestRecordReducers::exposureIsWhatIsOwedPlusWhatIsNotYetInvoiced()
{
    QFETCH(int, balance);
    QFETCH(int, invoiced);
    QFETCH(int, committed);
    QFETCH(int, exposure);
    AccountState a;
    a.balanceCents = balance;
    a.invoicedCents = invoiced;
    QCOMPARE(exposureOf(a, committed), Cents(exposure));
}

void TestRecordReducers::aShipmentCommitsItsCostAndLoadsItsTruckByStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("committed");
    QTest::addColumn<int>("load");
    QTest::newRow("Submitted") << int(ShipmentStatus::Submitted) << 280 << 0;
    QTest::newRow("Assigned") << int(ShipmentStatus::Assigned) << 280 << 1000;
    QTest::newRow("Shipped") << int(ShipmentStatus::Shipped) << 280 << 1000;
    QTest::newRow("Delivered") << int(ShipmentStatus::Delivered) << 280 << 0;
}

void TestRecordReducers::aShipmentCommitsItsCostAndLoadsItsTruckByStatus()
{
    QFETCH(int, status);
    QFETCH(int, committed);
    QFETCH(int, load);
    const ShipmentCommitment c = commitmentOf(shipmentIn(static_cast<ShipmentStatus>(status)));
    QCOMPARE(c.accountId, kAccount);
    QCOMPARE(c.committedCents, Cents(committed));
    QCOMPARE(c.loadHundredths, qint64(load));
    QCOMPARE(c.truckId, load > 0 ? kTruck : QString());

    ShipmentState cancelled = shipmentIn(ShipmentStatus::Assigned);
    cancelled.status = ShipmentStatus::Cancelled;
    QCOMPARE(commitmentOf(cancelled).committedCents, Cents(0));
    QCOMPARE(commitmentOf(cancelled).loadHundredths, qint64(0));
}

void TestRecordReducers::ifMatchNamingAnotherVersionSaysBoth()
{
    Command c = truckCommandFor(QStringLiteral("register"));
    QVERIFY(expectedVersionConflict(c, 4).isEmpty());
    c.expectedVersion = 4;
    QVERIFY(expectedVersionConflict(c, 4).isEmpty());
    const QString conflict = expectedVersionConflict(c, 5);
    QVERIFY2(
        conflict.contains(QLatin1String("Truck T-1 is at version 5, not 4")), qPrintable(conflict));
    QVERIFY2(
        conflict.contains(QLatin1String("someone else changed it first")), qPrintable(conflict));
}

void TestRecordReducers::upcastingLeavesTheFirstReleasesShapesAsStored_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("data");
    // As the first release stored them (tests/fixtures/release-96c741c).
    QTest::newRow("submitted")
        << QStringLiteral("submitted")
        << QByteArray(
               R"({"billToAccountId":"acme","cost":2.8,"costCents":280,"shipFrom":{"city":"Dallas","line1":"100 Main St","name":"Acme Dock 4","state":"TX","zip":"75201"},"shipTo":{"city":"Tulsa","line1":"9 Rail Rd","line2":"Gate B","name":"Tulsa Yard","state":"OK","zip":"74103"},"weightInPounds":10})");
    QTest::newRow("assigned") << QStringLiteral("assigned") << QByteArray(R"({"truckId":"T-1"})");
    QTest::newRow("re-assigned") << QStringLiteral("assigned")
                                 << QByteArray(R"({"previousTruckId":"T-1","truckId":"T-2"})");
    QTest::newRow("shipped") << QStringLiteral("shipped") << QByteArray("{}");
    QTest::newRow("delivered") << QStringLiteral("delivered") << QByteArray("{}");
    QTest::newRow("delivered, signed")
        << QStringLiteral("delivered") << QByteArray(R"({"signedBy":"Ana Müller"})");
    QTest::newRow("cancelled") << QStringLiteral("cancelled")
                               << QByteArray(R"({"reason":"Duplicate order"})");
    QTest::newRow("paymentReceived")
        << QStringLiteral("paymentReceived") << QByteArray(R"({"amount":100,"amountCents":10000})");
    QTest::newRow("invoiced") << QStringLiteral(
        "invoiced") << QByteArray(R"({"amount":2.8,"amountCents":280,"shipmentId":"S-1001"})");
}

void TestRecordReducers::upcastingLeavesTheFirstReleasesShapesAsStored()
{
    QFETCH(QString, type);
    QFETCH(QByteArray, data);
    const QJsonObject stored = QJsonDocument::fromJson(data).object();
    QVERIFY(!stored.isEmpty() || data == "{}");
    QCOMPARE(upcastEventData(type, stored), stored);
}

void TestRecordReducers::openedWithoutPaymentTermsReadsAsTheDefault()
{
    const QJsonObject stored = parse(R"({"name": "Acme", "billingAddress": {}})");
    QCOMPARE(upcastEventData(QStringLiteral("opened"), stored)
                 .value(QStringLiteral("paymentTermsDays"))
                 .toInt(),
        30);
    const QJsonObject given = parse(R"({"name": "Acme", "paymentTermsDays": 0})");
    QCOMPARE(upcastEventData(QStringLiteral("opened"), given), given);
}

void TestRecordReducers::anInvoiceCarriesItsNumberAndIsDueAfterTheAccountsTerms_data()
{
    QTest::addColumn<QString>("terms"); // "" when the account was never opened
    QTest::addColumn<QString>("due");
    QTest::newRow("never opened: 30 days") << ""
                                           << "2026-12-27T10:00:00.000Z";
    QTest::newRow("opened with 45 days") << "45"
                                         << "2027-01-11T10:00:00.000Z";
    QTest::newRow("opened with 0 days: due when issued") << "0"
                                                         << "2026-11-27T10:00:00.000Z";
    QTest::newRow("the longest terms, over a short February") << "120"
                                                              << "2027-03-27T10:00:00.000Z";
}

void TestRecordReducers::anInvoiceCarriesItsNumberAndIsDueAfterTheAccountsTerms()
{
    QFETCH(QString, terms);
    QFETCH(QString, due);
    AccountState a;
    if (!terms.isEmpty()) {
        QJsonObject body { { QStringLiteral("name"), QStringLiteral("Acme Corp") },
            { QStringLiteral("billingAddress"), address(QStringLiteral("Acme Corp")) },
            { QStringLiteral("paymentTermsDays"), terms.toInt() } };
        a = applyToAccount(a, decideAccount(a, accountCommand(CommandType::Open, body)));
    }
    const Decision d = decideAccount(
        a, accountCommandFor(QStringLiteral("invoice")), Rules {}, paymentContext(a));
    QVERIFY2(!d.isRejected(), qPrintable(d.rejection));
    const QJsonObject data = d.events.first().data;
    QCOMPARE(data.value(QStringLiteral("invoiceNumber")).toString(), QStringLiteral("INV-000007"));
    QCOMPARE(data.value(QStringLiteral("issued")).toString(),
        QStringLiteral("2026-11-27T10:00:00.000Z"));
    QCOMPARE(data.value(QStringLiteral("due")).toString(), due);
    QCOMPARE(data.value(QStringLiteral("amountCents")).toInteger(), 280);
    QCOMPARE(data.value(QStringLiteral("shipmentId")).toString(), QStringLiteral("s1"));
}

void TestRecordReducers::anInvoiceWithoutANumberIsRefused()
{
    const Decision d = decideAccount(AccountState {}, accountCommandFor(QStringLiteral("invoice")));
    QVERIFY(d.isRejected());
    QVERIFY(d.events.isEmpty());
}

void TestRecordReducers::invoiceNumbersReadBackOnlyInTheirOneForm_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("number");
    QTest::newRow("first") << "INV-000001" << qint64(1);
    QTest::newRow("six digits") << "INV-123456" << qint64(123456);
    QTest::newRow("past a million it grows") << "INV-1234567" << qint64(1234567);
    QTest::newRow("too few digits") << "INV-42" << qint64(0);
    QTest::newRow("extra zero") << "INV-0000042" << qint64(0);
    QTest::newRow("zero") << "INV-000000" << qint64(0);
    QTest::newRow("sign") << "INV-+00042" << qint64(0);
    QTest::newRow("other prefix") << "inv-000042" << qint64(0);
}

void TestRecordReducers::invoiceNumbersReadBackOnlyInTheirOneForm()
{
    QFETCH(QString, text);
    QFETCH(qint64, number);
    QCOMPARE(invoiceNumberOf(text), number);
    if (number > 0)
        QCOMPARE(invoiceNumberText(number), text);
}

void TestRecordReducers::newCommandBodiesAreCheckedWithEveryErrorAndPath_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("paths"); // of the errors; empty: valid
    const auto row
        = [](const char *name, const char *command, const char *body, QStringList paths) {
              QTest::newRow(name) << QString::fromLatin1(command) << QByteArray(body) << paths;
          };
    const char *addr = R"({"name":"A","line1":"1 St","city":"Ames","state":"IA","zip":"50010"})";
    row("open: valid", "open",
        QByteArray(R"({"name":"Acme","billingAddress":)" + QByteArray(addr)
            + R"(,"paymentTermsDays":120,"creditLimit":0})")
            .constData(),
        {});
    row("open: missing", "open", "{}", { "name", "billingAddress" });
    row("open: terms and limit out of range", "open",
        QByteArray(R"({"name":"Acme","billingAddress":)" + QByteArray(addr)
            + R"(,"paymentTermsDays":121,"creditLimit":-1})")
            .constData(),
        { "paymentTermsDays", "creditLimit" });
    row("open: terms not whole, limit with three decimals", "open",
        QByteArray(R"({"name":"Acme","billingAddress":)" + QByteArray(addr)
            + R"(,"paymentTermsDays":1.5,"creditLimit":1.005})")
            .constData(),
        { "paymentTermsDays", "creditLimit" });
    row("open: a null limit", "open",
        QByteArray(
            R"({"name":"Acme","billingAddress":)" + QByteArray(addr) + R"(,"creditLimit":null})")
            .constData(),
        { "creditLimit" });
    row("update: nothing", "update", "{}", { "" });
    row("update: a null limit", "update", R"({"creditLimit":null})", {});
    row("update: an unknown key", "update", R"({"name":"A","colour":"red"})", { "colour" });
    row("hold: no reason", "hold", "{}", { "reason" });
    row("hold: a blank reason", "hold", R"({"reason":"  "})", { "reason" });
    row("release: a body", "release", R"({"reason":"paid"})", { "reason" });
    row("reverse-payment: valid", "reverse-payment",
        R"({"paymentCommandId":"5d3dcd2a-4547-4060-9d23-396b405f6071","reason":"bounced"})", {});
    row("reverse-payment: bad id, no reason", "reverse-payment", R"({"paymentCommandId":"a b"})",
        { "paymentCommandId", "reason" });
    row("credit: valid", "credit", R"({"amount":0.01,"reason":"goodwill","shipmentId":"S-1"})", {});
    row("credit: zero, bad shipment", "credit", R"({"amount":0,"reason":"x","shipmentId":"a/b"})",
        { "amount", "shipmentId" });
    row("register: empty body", "register", "{}", {});
    row("register: capacity out of range", "register", R"({"capacityPounds":80001})",
        { "capacityPounds" });
    row("register: capacity not whole", "register", R"({"name":"Big Blue","capacityPounds":10.5})",
        { "capacityPounds" });
    row("out-of-service: no reason", "out-of-service", "{}", { "reason" });
    row("return-to-service: a body", "return-to-service", R"({"x":1})", { "x" });
    row("amend: valid", "amend", R"({"weightInPounds":12,"reason":"scale"})", {});
    row("amend: no reason, no change", "amend", "{}", { "reason", "" });
    row("amend: only a reason", "amend", R"({"reason":"x"})", { "" });
    row("amend: bad weight and account", "amend",
        R"({"weightInPounds":0,"billToAccountId":"a b","reason":"x"})",
        { "weightInPounds", "billToAccountId" });
    row("amend: windows out of order", "amend",
        R"({"reason":"x","pickupWindow":{"from":"2026-12-02T00:00:00Z","to":"2026-12-02T04:00:00Z"},"deliveryWindow":{"from":"2026-12-01T00:00:00Z","to":"2026-12-01T04:00:00Z"}})",
        { "deliveryWindow.to" });
    row("reschedule: valid", "reschedule",
        R"({"deliveryWindow":{"from":"2026-12-01T00:00:00Z","to":"2026-12-01T04:00:00Z"}})", {});
    row("reschedule: no window", "reschedule", R"({"reason":"x"})", { "" });
    row("reschedule: a window backwards", "reschedule",
        R"({"pickupWindow":{"from":"2026-12-02T00:00:00Z","to":"2026-12-01T00:00:00Z"}})",
        { "pickupWindow.to" });
    row("reschedule: a window not a time", "reschedule",
        R"({"pickupWindow":{"from":"tomorrow","to":3}})",
        { "pickupWindow.from", "pickupWindow.to" });
    row("reschedule: a window missing its end", "reschedule",
        R"({"pickupWindow":{"from":"2026-12-02T00:00:00Z"}})", { "pickupWindow.to" });
}

void TestRecordReducers::newCommandBodiesAreCheckedWithEveryErrorAndPath()
{
    QFETCH(QString, command);
    QFETCH(QByteArray, body);
    QFETCH(QStringList, paths);
    CommandType type;
    QVERIFY(commandTypeFromName(command, &type));
    QJsonObject object;
    QVERIFY(parseJsonObject(body, &object).isEmpty());
    QJsonObject data;
    const ValidationErrors errors = validateCommandBody(type, object, &data);
    QStringList found;
    for (const ValidationError &e : errors) {
        QStringList parts;
        for (const QJsonValue &p : e.path)
            parts << p.toString();
        found << parts.join(QLatin1Char('.'));
        QVERIFY(!e.message.isEmpty());
    }
    found.sort();
    paths.sort();
    QVERIFY2(found == paths,
        qPrintable(QStringLiteral("errors at [%1], expected [%2]")
                       .arg(found.join(QLatin1Char(',')), paths.join(QLatin1Char(',')))));
    if (paths.isEmpty() && object.contains(QStringLiteral("creditLimit")))
        QVERIFY(data.contains(QStringLiteral("creditLimitCents")));
}

QTEST_GUILESS_MAIN(TestRecordReducers)
#include "tst_recordreducers.moc"
