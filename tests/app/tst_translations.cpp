// The Spanish translation is complete and sound: every tr() string of the app, the server and the
// audit is in it and translated, with the same placeholders on both sides (and English has every
// plural form); the compiled translation is loaded by the app and by waybill-server, with Qt's
// own words (the buttons of standard dialogs); the reducers' refusals are said in Spanish.
#include "domain/accountreducer.h"
#include "domain/ids.h"
#include "domain/refusals.h"
#include "domain/shipmentreducer.h"
#include "domain/timeformat.h"
#include "domain/truckreducer.h"
#include "language.h"
#include "presentation/refusaltext.h"
#include "presentation/statuspresentation.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QJsonArray>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace waybill;
using namespace waybill::app;

namespace {
struct Message
{
    QString context;
    QString source;
    QStringList translations; // one, or the plural forms
    bool unfinished = false;
    bool numerus = false;

    QString key() const { return context + QLatin1Char('\n') + source; }
};

QVector<Message> readTs(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": ") + file.errorString();
        return {};
    }
    QVector<Message> messages;
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            current = Message { context, {}, {}, false,
                xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes") };
        } else if (name == QLatin1String("source")) {
            current.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            current.unfinished
                = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            current.translations = { text };
            messages.append(current);
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

QStringList placeholders(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("%L?n|%\\d"));
    QStringList found;
    for (auto it = pattern.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    found.sort();
    found.removeDuplicates();
    return found;
}

// Runs lupdate over every source that may hold a tr() string (the list the build's
// update_translations target uses) into a copy of the committed .ts file: the copy is what the
// file must be, new strings marked unfinished. Returns the copy's path.
QString refreshedTs(const QTemporaryDir &dir, const QString &name, QString *error)
{
    const QString committed = QStringLiteral(WAYBILL_TRANSLATIONS_DIR "/") + name;
    const QString copy = dir.filePath(name);
    if (!QFile::copy(committed, copy)) {
        *error = QStringLiteral("cannot copy ") + committed;
        return {};
    }
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    // Include folders as the build has them, so that lupdate finds each class's namespace.
    const QString list = dir.filePath(QStringLiteral("sources.lst"));
    QFile sources(QStringLiteral(WAYBILL_TRANSLATED_SOURCES_LIST));
    QFile lst(list);
    if (!sources.open(QIODevice::ReadOnly) || !lst.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot read ") + sources.fileName();
        return {};
    }
    for (const char *folder : { "core", "server", "app" })
        lst.write("-I" WAYBILL_SOURCE_DIR "/" + QByteArray(folder) + '\n');
    lst.write(sources.readAll());
    lst.close();
    QProcess lupdate;
    lupdate.start(QStringLiteral(WAYBILL_LUPDATE),
        { QStringLiteral("-locations"), QStringLiteral("none"), QStringLiteral("-no-obsolete"),
            QStringLiteral("-silent"), QLatin1Char('@') + list, QStringLiteral("-ts"), copy });
    if (!lupdate.waitForFinished(120000) || lupdate.exitStatus() != QProcess::NormalExit
        || lupdate.exitCode() != 0) {
        *error = QStringLiteral("lupdate failed: ") + lupdate.errorString()
            + QString::fromLocal8Bit(lupdate.readAllStandardError());
        return {};
    }
    return copy;
}
} // namespace

class TestTranslations final : public QObject
{
    Q_OBJECT
private slots:
    void everySpanishMessageIsTranslatedWithItsPlaceholders();
    void everyTrStringOfTheSourcesIsInTheTranslations_data();
    void everyTrStringOfTheSourcesIsInTheTranslations();
    void spanishTranslationIsLoadedByTheApp();
    void spanishTranslationIsLoadedByTheServer();
    void qtsOwnWordsAreSpanishInTheSpanishApp();
    void theReducersRefusalsAreSaidInSpanish_data();
    void theReducersRefusalsAreSaidInSpanish();
    void everyReasonAReducerGivesIsATemplateSaidInSpanish_data();
    void everyReasonAReducerGivesIsATemplateSaidInSpanish();
    void everyTemplateIsAReasonAReducerGives();
};

void TestTranslations::everySpanishMessageIsTranslatedWithItsPlaceholders()
{
    QString error;
    const QVector<Message> messages
        = readTs(QStringLiteral(WAYBILL_TRANSLATIONS_DIR "/waybill_es.ts"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(messages.size() > 100);
    QStringList problems;
    for (const Message &m : messages) {
        const QString translation = m.translations.join(QString());
        if (m.unfinished || translation.trimmed().isEmpty()) {
            problems << QStringLiteral("untranslated: %1 \"%2\"").arg(m.context, m.source);
            continue;
        }
        if (placeholders(m.source) != placeholders(translation))
            problems << QStringLiteral("placeholders differ: %1 \"%2\" -> \"%3\"")
                            .arg(m.context, m.source, translation);
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::everyTrStringOfTheSourcesIsInTheTranslations_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("everyMessage"); // false: only the plural forms must be given
    QTest::newRow("Spanish translates every message") << QStringLiteral("waybill_es.ts") << true;
    QTest::newRow("English gives every plural form") << QStringLiteral("waybill_en.ts") << false;
}

// lupdate over the sources must find nothing the committed file lacks or no longer needs: a tr()
// string added to the server, the audit or the app without a translation fails here.
void TestTranslations::everyTrStringOfTheSourcesIsInTheTranslations()
{
    QFETCH(QString, file);
    QFETCH(bool, everyMessage);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    const QString refreshed = refreshedTs(dir, file, &error);
    QVERIFY2(!refreshed.isEmpty(), qPrintable(error));
    const QVector<Message> committed
        = readTs(QStringLiteral(WAYBILL_TRANSLATIONS_DIR "/") + file, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QVector<Message> current = readTs(refreshed, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(current.size() > 100, "lupdate found almost nothing: is the source list empty?");

    QSet<QString> committedKeys;
    for (const Message &m : committed)
        committedKeys.insert(m.key());
    QSet<QString> currentKeys;
    QStringList problems;
    for (const Message &m : current) {
        currentKeys.insert(m.key());
        if (!committedKeys.contains(m.key()))
            problems << QStringLiteral("not in %1: %2 \"%3\"").arg(file, m.context, m.source);
        else if ((everyMessage || m.numerus)
            && (m.unfinished || m.translations.join(QString()).trimmed().isEmpty()))
            problems
                << QStringLiteral("untranslated in %1: %2 \"%3\"").arg(file, m.context, m.source);
    }
    for (const Message &m : committed) {
        if (!currentKeys.contains(m.key()))
            problems << QStringLiteral("in %1 but in no source: %2 \"%3\"")
                            .arg(file, m.context, m.source);
    }
    if (!problems.isEmpty())
        problems << QStringLiteral("(cmake --build build --target update_translations, then "
                                   "translate what is marked unfinished)");
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::spanishTranslationIsLoadedByTheApp()
{
    const QLocale locale = Language::install(QStringLiteral("es"));
    QCOMPARE(locale.language(), QLocale::Spanish);
    QCOMPARE(QCoreApplication::translate("waybill::app::MainWindow", "Shipments"),
        QStringLiteral("Envíos"));
    QCOMPARE(
        QCoreApplication::translate("waybill::app::ShipmentBoard", "%Ln shipment(s)", nullptr, 2),
        QStringLiteral("2 envíos"));
    Language::install(QStringLiteral("en"));
    QCOMPARE(
        QCoreApplication::translate("waybill::app::ShipmentBoard", "%Ln shipment(s)", nullptr, 1),
        QStringLiteral("1 shipment"));
    QCOMPARE(QCoreApplication::translate("waybill::app::MainWindow", "Shipments"),
        QStringLiteral("Shipments"));
}

// waybill-server answers in the language of the user who runs it: a usage error, in Spanish.
void TestTranslations::spanishTranslationIsLoadedByTheServer()
{
    const QString binary = qEnvironmentVariable("WAYBILL_TEST_BINARY_DIR")
        + QStringLiteral("/server/waybill-server");
    QVERIFY2(QFile::exists(binary), qPrintable(binary));
    for (const auto &[language, expected] :
        { std::pair { QStringLiteral("es_ES.UTF-8"), QStringLiteral("orden desconocida") },
            std::pair { QStringLiteral("C.UTF-8"), QStringLiteral("unknown command") } }) {
        QProcess server;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("LANGUAGE"));
        environment.insert(QStringLiteral("LC_ALL"), language);
        server.setProcessEnvironment(environment);
        server.start(binary, { QStringLiteral("frobnicate") });
        QVERIFY(server.waitForFinished(30000));
        QCOMPARE(server.exitCode(), 2);
        const QString err = QString::fromUtf8(server.readAllStandardError());
        QVERIFY2(err.contains(expected),
            qPrintable(QStringLiteral("%1: expected \"%2\" in: %3").arg(language, expected, err)));
    }
}

// The buttons of Qt's standard dialogs are Qt's words, from Qt's own translation.
void TestTranslations::qtsOwnWordsAreSpanishInTheSpanishApp()
{
    Language::install(QStringLiteral("es"));
    {
        QDialogButtonBox buttons(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
        QCOMPARE(buttons.button(QDialogButtonBox::Cancel)->text(), QStringLiteral("Cancelar"));
        QCOMPARE(buttons.button(QDialogButtonBox::Ok)->text(), QStringLiteral("Aceptar"));
        QMessageBox question;
        question.setStandardButtons(QMessageBox::Yes | QMessageBox::No);
        QCOMPARE(question.button(QMessageBox::Yes)->text(), QStringLiteral("&Sí"));
    }
    Language::install(QStringLiteral("en"));
    QDialogButtonBox buttons(QDialogButtonBox::Cancel);
    QCOMPARE(buttons.button(QDialogButtonBox::Cancel)->text(), QStringLiteral("Cancel"));
}

namespace {
Command command(CommandType type, const QString &streamId, const QJsonObject &data = {})
{
    Command made;
    made.type = type;
    made.streamId = streamId;
    made.data = data;
    return made;
}

// One refusal of each reason of domain/refusals.h, made by the reducers themselves: the reason
// they give, and the template it must have been made from.
struct ReducerRefusal
{
    const char *what;
    Refusal refusal;
    QString reason;
};

QJsonObject addressJson()
{
    return { { QStringLiteral("name"), QStringLiteral("Dock") },
        { QStringLiteral("line1"), QStringLiteral("1 Main St") },
        { QStringLiteral("city"), QStringLiteral("Austin") },
        { QStringLiteral("state"), QStringLiteral("TX") },
        { QStringLiteral("zip"), QStringLiteral("78701") } };
}

QJsonObject windowJson(const QDateTime &from, const QDateTime &to)
{
    return { { QStringLiteral("from"), toIsoUtc(from) }, { QStringLiteral("to"), toIsoUtc(to) } };
}

QVector<ReducerRefusal> reducerRefusals()
{
    QVector<ReducerRefusal> all;
    const auto add = [&all](const char *what, Refusal refusal, const Decision &decision) {
        all.append({ what, refusal, decision.rejection });
    };
    const QString shipment = shipmentStreamId(QStringLiteral("S-1"));
    const auto shipmentIn = [](ShipmentStatus status) {
        ShipmentState s;
        s.id = QStringLiteral("S-1");
        s.status = status;
        s.version = 1;
        s.weightInPounds = 100;
        s.billToAccountId = QStringLiteral("ACME");
        return s;
    };
    const ShipmentState none;
    const ShipmentState submitted = shipmentIn(ShipmentStatus::Submitted);
    const ShipmentState shipped = shipmentIn(ShipmentStatus::Shipped);
    const ShipmentState delivered = shipmentIn(ShipmentStatus::Delivered);
    ShipmentState assigned = shipmentIn(ShipmentStatus::Assigned);
    assigned.assignedToTruck = QStringLiteral("T-1");
    const QJsonObject submit { { QStringLiteral("shipFrom"), addressJson() },
        { QStringLiteral("shipTo"), addressJson() }, { QStringLiteral("weightInPounds"), 100 },
        { QStringLiteral("billToAccountId"), QStringLiteral("ACME") } };
    const QJsonObject toTruck { { QStringLiteral("truckId"), QStringLiteral("T-2") } };
    const QDateTime tomorrow = QDateTime::currentDateTimeUtc().addDays(1);
    const QJsonObject early = windowJson(tomorrow, tomorrow.addSecs(3600));
    const QJsonObject late = windowJson(tomorrow.addDays(2), tomorrow.addDays(2).addSecs(3600));

    Rules registeredOnly;
    registeredOnly.requireRegisteredAccounts = true;
    registeredOnly.requireRegisteredTrucks = true;
    add("submit billed to an account never opened", Refusal::AccountNotRegisteredForShipment,
        decideShipment(none, command(CommandType::Submit, shipment, submit), registeredOnly));
    ShipmentContext held;
    held.account = AccountStanding { QStringLiteral("ACME"), true, true, QStringLiteral("unpaid"),
        std::nullopt, 0 };
    add("submit billed to an account on hold", Refusal::AccountOnHold,
        decideShipment(none, command(CommandType::Submit, shipment, submit), Rules {}, held));
    ShipmentContext limited;
    limited.account
        = AccountStanding { QStringLiteral("ACME"), true, false, QString(), Cents(100), 0 };
    add("submit past the credit limit", Refusal::CreditLimitExceeded,
        decideShipment(none, command(CommandType::Submit, shipment, submit), Rules {}, limited));
    QJsonObject hazmat = submit;
    hazmat.insert(QStringLiteral("accessorials"), QJsonArray { QStringLiteral("hazmat") });
    add("submit with an accessorial the rate table lacks", Refusal::AccessorialNotInRateTable,
        decideShipment(none, command(CommandType::Submit, shipment, hazmat), Rules {}));
    add("submit of a shipment that exists", Refusal::ShipmentExists,
        decideShipment(submitted, command(CommandType::Submit, shipment, submit), Rules {}));
    add("ship a shipment never submitted", Refusal::ShipmentMissing,
        decideShipment(none, command(CommandType::Ship, shipment), Rules {}));
    ShipmentContext small;
    small.truck = TruckStanding { QStringLiteral("T-2"), true, true, QString(), 50, 0 };
    add("assign past the truck's capacity", Refusal::CapacityExceeded,
        decideShipment(
            submitted, command(CommandType::Assign, shipment, toTruck), Rules {}, small));
    add("assign a delivered shipment", Refusal::AssignNotAllowed,
        decideShipment(delivered, command(CommandType::Assign, shipment, toTruck), Rules {}));
    add("assign to the truck it is on", Refusal::AlreadyOnTheTruck,
        decideShipment(assigned,
            command(CommandType::Assign, shipment,
                { { QStringLiteral("truckId"), QStringLiteral("T-1") } }),
            Rules {}));
    add("assign to a truck never registered", Refusal::TruckNotRegisteredForLoads,
        decideShipment(submitted, command(CommandType::Assign, shipment, toTruck), registeredOnly));
    ShipmentContext broken;
    broken.truck = TruckStanding { QStringLiteral("T-2"), true, false, QStringLiteral("brakes"),
        std::nullopt, 0 };
    add("assign to a truck out of service", Refusal::TruckOutOfService,
        decideShipment(
            submitted, command(CommandType::Assign, shipment, toTruck), Rules {}, broken));
    add("ship a submitted shipment", Refusal::ShipNotAllowed,
        decideShipment(submitted, command(CommandType::Ship, shipment), Rules {}));
    add("deliver a submitted shipment", Refusal::DeliverNotAllowed,
        decideShipment(submitted, command(CommandType::Deliver, shipment), Rules {}));
    add("cancel a delivered shipment", Refusal::CancelNotAllowed,
        decideShipment(delivered,
            command(CommandType::Cancel, shipment,
                { { QStringLiteral("reason"), QStringLiteral("x") } }),
            Rules {}));
    const QJsonObject sameWeight { { QStringLiteral("weightInPounds"), 100 },
        { QStringLiteral("reason"), QStringLiteral("x") } };
    add("amend a delivered shipment", Refusal::AmendNotAllowed,
        decideShipment(delivered, command(CommandType::Amend, shipment, sameWeight), Rules {}));
    add("amend to what it is", Refusal::AmendChangesNothing,
        decideShipment(submitted, command(CommandType::Amend, shipment, sameWeight), Rules {}));
    add("reschedule the delivery before the pickup", Refusal::DeliveryBeforePickup,
        decideShipment(submitted,
            command(CommandType::Reschedule, shipment,
                { { QStringLiteral("pickupWindow"), late },
                    { QStringLiteral("deliveryWindow"), early } }),
            Rules {}));
    add("reschedule a delivered shipment", Refusal::RescheduleNotAllowed,
        decideShipment(delivered,
            command(
                CommandType::Reschedule, shipment, { { QStringLiteral("deliveryWindow"), late } }),
            Rules {}));
    add("move the pickup of a shipment on the road", Refusal::PickupFixedOnceShipped,
        decideShipment(shipped,
            command(
                CommandType::Reschedule, shipment, { { QStringLiteral("pickupWindow"), early } }),
            Rules {}));
    ShipmentState scheduled = submitted;
    scheduled.pickupWindow = TimeWindow::fromJson(early);
    add("reschedule to the same windows", Refusal::RescheduleChangesNothing,
        decideShipment(scheduled,
            command(
                CommandType::Reschedule, shipment, { { QStringLiteral("pickupWindow"), early } }),
            Rules {}));
    add("an account's command on a shipment", Refusal::NotAShipmentCommand,
        decideShipment(submitted, command(CommandType::Hold, shipment), Rules {}));

    const QString truck = truckStreamId(QStringLiteral("T-9"));
    TruckState registered;
    registered.id = QStringLiteral("T-9");
    registered.registered = true;
    registered.version = 1;
    TruckState outOfService = registered;
    outOfService.inService = false;
    outOfService.outOfServiceReason = QStringLiteral("flat tyre");
    add("register a truck twice", Refusal::TruckRegisteredAlready,
        decideTruck(registered, command(CommandType::Register, truck)));
    add("take a truck never registered out of service", Refusal::TruckNotRegistered,
        decideTruck(TruckState {}, command(CommandType::OutOfService, truck)));
    add("take a truck out of service twice", Refusal::TruckOutOfServiceAlready,
        decideTruck(outOfService, command(CommandType::OutOfService, truck)));
    add("return a truck in service", Refusal::TruckNotOutOfService,
        decideTruck(registered, command(CommandType::ReturnToService, truck)));
    add("a shipment's command on a truck", Refusal::NotATruckCommand,
        decideTruck(registered, command(CommandType::Ship, truck)));

    const QString account = accountStreamId(QStringLiteral("ACME"));
    AccountState open;
    open.id = QStringLiteral("ACME");
    open.registered = true;
    open.name = QStringLiteral("Acme");
    open.version = 1;
    AccountState onHold = open;
    onHold.onHold = true;
    onHold.holdReason = QStringLiteral("unpaid");
    AccountState known; // from a payment only
    known.id = QStringLiteral("ACME");
    known.version = 1;
    const QJsonObject cents { { QStringLiteral("amountCents"), 0 } };
    AccountContext dated;
    dated.invoiceNumber = 1;
    dated.now = QDateTime::currentDateTimeUtc();
    add("update an account never opened", Refusal::AccountNotOpen,
        decideAccount(AccountState {},
            command(CommandType::Update, account,
                { { QStringLiteral("name"), QStringLiteral("A") } })));
    add("a payment on an account never opened", Refusal::AccountNotRegisteredForMoney,
        decideAccount(
            AccountState {}, command(CommandType::Payment, account, cents), registeredOnly));
    add("a payment of nothing", Refusal::PaymentNotPositive,
        decideAccount(open, command(CommandType::Payment, account, cents)));
    add("an invoice of no shipment", Refusal::InvoiceWithoutShipment,
        decideAccount(open, command(CommandType::Invoice, account, cents), Rules {}, dated));
    add("a negative invoice", Refusal::InvoiceNegative,
        decideAccount(open,
            command(CommandType::Invoice, account,
                { { QStringLiteral("amountCents"), -100 },
                    { QStringLiteral("shipmentId"), QStringLiteral("S-1") } }),
            Rules {}, dated));
    add("an invoice without its number and date", Refusal::InvoiceWithoutNumberOrDate,
        decideAccount(open,
            command(CommandType::Invoice, account,
                { { QStringLiteral("amountCents"), 100 },
                    { QStringLiteral("shipmentId"), QStringLiteral("S-1") } })));
    add("open an account twice", Refusal::AccountOpenAlready,
        decideAccount(open, command(CommandType::Open, account)));
    add("update an account to what it is", Refusal::AccountUpdateChangesNothing,
        decideAccount(open,
            command(CommandType::Update, account,
                { { QStringLiteral("name"), QStringLiteral("Acme") } })));
    add("hold an account twice", Refusal::AccountOnHoldAlready,
        decideAccount(onHold, command(CommandType::Hold, account)));
    add("release an account not on hold", Refusal::AccountNotOnHold,
        decideAccount(open, command(CommandType::Release, account)));
    const QJsonObject reversal { { QStringLiteral("paymentCommandId"), QStringLiteral("P-1") },
        { QStringLiteral("reason"), QStringLiteral("bounced") } };
    add("reverse a payment never recorded", Refusal::PaymentNotRecorded,
        decideAccount(open, command(CommandType::ReversePayment, account, reversal)));
    AccountState reversed = open;
    reversed.reversedPayments = QStringList { QStringLiteral("P-1") };
    AccountContext recorded;
    recorded.payment = RecordedPayment { account, 100 };
    add("reverse a payment twice", Refusal::PaymentReversedAlready,
        decideAccount(
            reversed, command(CommandType::ReversePayment, account, reversal), Rules {}, recorded));
    add("credit an account with no history", Refusal::CreditWithoutHistory,
        decideAccount(AccountState {}, command(CommandType::Credit, account, cents)));
    add("a credit of nothing", Refusal::CreditNotPositive,
        decideAccount(known, command(CommandType::Credit, account, cents)));
    add("a shipment's command on an account", Refusal::NotAnAccountCommand,
        decideAccount(open, command(CommandType::Ship, account)));
    return all;
}
} // namespace

void TestTranslations::theReducersRefusalsAreSaidInSpanish_data()
{
    QTest::addColumn<QString>("reason"); // as the server's reducer gives it
    QTest::addColumn<QString>("english");
    QTest::addColumn<QString>("spanish");

    ShipmentState submitted;
    submitted.id = QStringLiteral("S-1");
    submitted.status = ShipmentStatus::Submitted;
    submitted.version = 1;
    const QString shipment = shipmentStreamId(submitted.id);
    QTest::newRow("a status among the arguments")
        << decideShipment(submitted, command(CommandType::Ship, shipment), Rules {}).rejection
        << QStringLiteral("Shipment S-1 is Submitted; only an Assigned shipment can be shipped.")
        << QStringLiteral("El envío S-1 está Registrado; solo se puede enviar un envío Asignado.");

    // A reason typed by a person stays as typed, even one that looks like a placeholder.
    ShipmentContext broken;
    broken.truck = TruckStanding { QStringLiteral("T-9"), true, false,
        QStringLiteral("brakes 100%2 gone"), 20000, 0 };
    QTest::newRow("free text among the arguments")
        << decideShipment(submitted,
               command(CommandType::Assign, shipment,
                   { { QStringLiteral("truckId"), QStringLiteral("T-9") } }),
               Rules {}, broken)
               .rejection
        << QStringLiteral("Truck T-9 is out of service (brakes 100%2 gone); assign another truck.")
        << QStringLiteral(
               "El camión T-9 está fuera de servicio (brakes 100%2 gone); asigne otro camión.");

    TruckState truck;
    truck.id = QStringLiteral("T-9");
    truck.registered = true;
    truck.version = 1;
    QTest::newRow("a truck's")
        << decideTruck(truck, command(CommandType::Register, truckStreamId(truck.id))).rejection
        << QStringLiteral("Truck T-9 is registered already.")
        << QStringLiteral("El camión T-9 ya está registrado.");

    QTest::newRow("an account's") << decideAccount(
        AccountState {}, command(CommandType::Release, accountStreamId(QStringLiteral("ACME"))))
                                         .rejection
                                  << QStringLiteral("Account ACME is not on hold.")
                                  << QStringLiteral("La cuenta ACME no está bloqueada.");

    // A newer server's reason the app does not know is shown as it came.
    QTest::newRow("unknown") << QStringLiteral("Truck T-9 is haunted.")
                             << QStringLiteral("Truck T-9 is haunted.")
                             << QStringLiteral("Truck T-9 is haunted.");
}

void TestTranslations::theReducersRefusalsAreSaidInSpanish()
{
    QFETCH(QString, reason);
    QFETCH(QString, english);
    QFETCH(QString, spanish);
    QCOMPARE(reason, english);
    Language::install(QStringLiteral("es"));
    QCOMPARE(RefusalText::translated(reason), spanish);
    Language::install(QStringLiteral("en"));
    QCOMPARE(RefusalText::translated(reason), english);
}

void TestTranslations::everyReasonAReducerGivesIsATemplateSaidInSpanish_data()
{
    QTest::addColumn<int>("refusal");
    QTest::addColumn<QString>("reason");
    for (const ReducerRefusal &r : reducerRefusals())
        QTest::newRow(r.what) << int(r.refusal) << r.reason;
}

// The reason a reducer gave is read back into the template it was made from, with its
// arguments, and the template has a Spanish translation with the same placeholders.
void TestTranslations::everyReasonAReducerGivesIsATemplateSaidInSpanish()
{
    QFETCH(int, refusal);
    QFETCH(QString, reason);
    QVERIFY2(!reason.isEmpty(), "the reducer accepted the command");
    const std::optional<RefusalText::Reading> reading = RefusalText::read(reason);
    QVERIFY2(reading, qPrintable(reason));
    QCOMPARE(int(reading->refusal), refusal);
    const QString english = QString::fromUtf8(refusalTemplate(reading->refusal));
    QCOMPARE(fillRefusal(english, reading->arguments), reason);

    Language::install(QStringLiteral("es"));
    const QString spanish
        = QCoreApplication::translate(kRefusalContext, refusalTemplate(reading->refusal));
    const QString said = RefusalText::translated(reason);
    Language::install(QStringLiteral("en"));
    QVERIFY2(spanish != english && !spanish.trimmed().isEmpty(),
        qPrintable(QStringLiteral("no Spanish for \"%1\"").arg(english)));
    QCOMPARE(placeholders(spanish), placeholders(english));
    QVERIFY2(said != reason, qPrintable(said));
    for (const QString &argument : reading->arguments) {
        if (!StatusPresentation::statuses().contains(argument))
            QVERIFY2(said.contains(argument), qPrintable(said));
    }
}

// No template is left that no reducer gives: each has its row above.
void TestTranslations::everyTemplateIsAReasonAReducerGives()
{
    QSet<int> given;
    for (const ReducerRefusal &r : reducerRefusals())
        given.insert(int(r.refusal));
    QStringList missing;
    for (int i = 0; i < kRefusalCount; ++i) {
        if (!given.contains(i))
            missing << QString::fromUtf8(refusalTemplate(Refusal(i)));
    }
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
