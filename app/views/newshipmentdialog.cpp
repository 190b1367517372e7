#include "newshipmentdialog.h"

#include "addressform.h"
#include "client/apiclient.h"
#include "client/quoteservice.h"
#include "client/shipmentids.h"
#include "domain/commandvalidation.h"
#include "domain/ids.h"
#include "domain/shipment.h"
#include "presentation/moneytext.h"
#include "session/session.h"
#include "windowedit.h"

#include <QComboBox>
#include <QCompleter>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QStringListModel>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace waybill::app {

namespace {
constexpr int kQuoteDelayMs = 250;
constexpr int kIdCheckDelayMs = 300;
const QString kId = QStringLiteral("id");
const QString kAccount = QStringLiteral("billToAccountId");
const QString kWeight = QStringLiteral("weightInPounds");
const QString kPickup = QStringLiteral("pickupWindow");
const QString kDelivery = QStringLiteral("deliveryWindow");
const QString kAccessorials = QStringLiteral("accessorials");

QLabel *problemLabel(QWidget *parent, const QString &name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setStyleSheet(QStringLiteral("color:#B00020;"));
    label->setVisible(false);
    return label;
}

QWidget *withProblem(QWidget *parent, QWidget *field, QLabel *problem)
{
    auto *cell = new QWidget(parent);
    auto *layout = new QVBoxLayout(cell);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(field);
    layout->addWidget(problem);
    return cell;
}

// "120", "120.5" or "120,5" as the clerk's locale writes it; empty when it is not a number.
std::optional<double> parseWeight(const QString &text)
{
    bool ok = false;
    const double local = QLocale().toDouble(text.trimmed(), &ok);
    if (ok)
        return local;
    const double plain = QLocale::c().toDouble(text.trimmed(), &ok);
    return ok ? std::optional<double>(plain) : std::nullopt;
}
} // namespace

NewShipmentDialog::NewShipmentDialog(Session *session, const QStringList &accounts, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_quotes(new QuoteService(session->api(), this))
    , m_id(new QLineEdit(this))
    , m_account(new QComboBox(this))
    , m_weight(new QLineEdit(this))
    , m_accessorials(new QLineEdit(this))
    , m_idProblem(problemLabel(this, QStringLiteral("idProblem")))
    , m_accountProblem(problemLabel(this, QStringLiteral("accountProblem")))
    , m_weightProblem(problemLabel(this, QStringLiteral("weightProblem")))
    , m_accessorialsProblem(problemLabel(this, QStringLiteral("accessorialsProblem")))
    , m_from(new AddressForm(tr("Ship from"), QStringLiteral("shipFrom"), this))
    , m_to(new AddressForm(tr("Ship to"), QStringLiteral("shipTo"), this))
    , m_pickup(new WindowEdit(tr("&Pickup:"), QStringLiteral("pickupWindow"), this))
    , m_delivery(new WindowEdit(tr("D&elivery:"), QStringLiteral("deliveryWindow"), this))
    , m_quote(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
    , m_suggestionList(new QStringListModel(this))
{
    setObjectName(QStringLiteral("newShipmentDialog"));
    setWindowTitle(tr("New shipment"));
    m_id->setObjectName(QStringLiteral("shipmentId"));
    m_id->setAccessibleName(tr("Shipment id"));
    m_account->setObjectName(QStringLiteral("account"));
    m_account->setEditable(true);
    m_account->addItems(accounts);
    m_account->setCurrentIndex(-1);
    m_account->lineEdit()->setPlaceholderText(tr("e.g. ACME-FOODS"));
    m_account->setAccessibleName(tr("Bill-to account"));
    m_weight->setObjectName(QStringLiteral("weight"));
    m_weight->setPlaceholderText(tr("1 to 80,000"));
    m_weight->setAccessibleName(tr("Weight in pounds"));
    m_accessorials->setObjectName(QStringLiteral("accessorials"));
    m_accessorials->setPlaceholderText(tr("e.g. liftgate, residential (optional)"));
    m_accessorials->setAccessibleName(tr("Accessorial charges"));
    m_quote->setObjectName(QStringLiteral("quote"));
    m_quote->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("summary"));
    m_summary->setWordWrap(true);
    m_summary->setStyleSheet(QStringLiteral("color:#B00020;"));
    m_summary->setVisible(false);

    auto *top = new QFormLayout;
    top->addRow(tr("Shipment &id:"), withProblem(this, m_id, m_idProblem));
    top->addRow(tr("&Bill to account:"), withProblem(this, m_account, m_accountProblem));
    top->addRow(tr("&Weight (lb):"), withProblem(this, m_weight, m_weightProblem));
    top->addRow(tr("Acce&ssorials:"), withProblem(this, m_accessorials, m_accessorialsProblem));
    auto *addresses = new QHBoxLayout;
    addresses->addWidget(m_from);
    addresses->addWidget(m_to);
    // Picked up tomorrow morning and delivered by the end of the next day, unless the clerk says
    // otherwise (or unticks a window: both are optional).
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_pickup->setWindow(WindowEdit::defaultPickup(now, m_pickup->timeZone()));
    m_delivery->setWindow(WindowEdit::defaultDelivery(now, m_delivery->timeZone()));
    auto *windows = new QFormLayout;
    windows->addRow(m_pickup);
    windows->addRow(m_delivery);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(addresses);
    layout->addLayout(windows);
    layout->addWidget(m_quote);
    layout->addWidget(m_summary);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Submit shipment"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("submitButton"));
    m_buttons->button(QDialogButtonBox::Ok)->setDefault(true);

    // Tab order follows reading order: top fields, then ship from, then ship to, then buttons.
    setTabOrder(m_id, m_account);
    setTabOrder(m_account, m_weight);
    setTabOrder(m_weight, m_accessorials);
    setTabOrder(m_accessorials, m_from->firstField());
    setTabOrder(m_from->lastField(), m_to->firstField());
    setTabOrder(m_to->lastField(), m_pickup);
    setTabOrder(m_pickup, m_delivery);
    setTabOrder(m_delivery, m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &NewShipmentDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto touch = [this](const QString &field) {
        m_touched.insert(field);
        check(false);
    };
    auto recheck = [this] { check(false); };
    connect(m_id, &QLineEdit::editingFinished, this, [touch] { touch(kId); });
    connect(m_account->lineEdit(), &QLineEdit::editingFinished, this, [touch] { touch(kAccount); });
    connect(m_weight, &QLineEdit::editingFinished, this, [touch] { touch(kWeight); });
    connect(m_accessorials, &QLineEdit::editingFinished, this, [touch] { touch(kAccessorials); });
    for (QLineEdit *edit : { m_id, m_account->lineEdit(), m_weight, m_accessorials })
        connect(edit, &QLineEdit::textEdited, this, recheck);
    connect(m_from, &AddressForm::left, this,
        [touch](const QString &key) { touch(QStringLiteral("shipFrom/") + key); });
    connect(m_to, &AddressForm::left, this,
        [touch](const QString &key) { touch(QStringLiteral("shipTo/") + key); });
    connect(m_from, &AddressForm::edited, this, recheck);
    connect(m_to, &AddressForm::edited, this, recheck);
    connect(m_pickup, &WindowEdit::changed, this, [touch] { touch(kPickup); });
    connect(m_delivery, &WindowEdit::changed, this, [touch] { touch(kDelivery); });

    m_quoteDelay.setSingleShot(true);
    m_quoteDelay.setInterval(kQuoteDelayMs);
    connect(&m_quoteDelay, &QTimer::timeout, this, &NewShipmentDialog::requestQuote);
    // Whatever the price depends on re-quotes it, once the typing pauses.
    connect(m_weight, &QLineEdit::textChanged, &m_quoteDelay, qOverload<>(&QTimer::start));
    connect(m_accessorials, &QLineEdit::textChanged, &m_quoteDelay, qOverload<>(&QTimer::start));
    for (AddressForm *form : { m_from, m_to })
        connect(form->field(QStringLiteral("state")), &QLineEdit::textChanged, &m_quoteDelay,
            qOverload<>(&QTimer::start));
    m_quote->setText(tr("The cost is quoted once the weight is entered."));

    // The next free id, once the server has said which it is; a clerk's own id is checked as it
    // is typed, so that one already taken is said before the shipment is sent.
    m_id->setPlaceholderText(tr("Finding the next free id…"));
    ShipmentIds::proposeNext(session->api(), this, [this](const QString &id) {
        if (m_id->text().isEmpty() && !m_id->isModified())
            m_id->setText(id);
        Q_EMIT idProposed(id);
    });
    m_idCheckDelay.setSingleShot(true);
    m_idCheckDelay.setInterval(kIdCheckDelayMs);
    connect(&m_idCheckDelay, &QTimer::timeout, this, &NewShipmentDialog::checkIdFree);
    connect(m_id, &QLineEdit::textEdited, &m_idCheckDelay, qOverload<>(&QTimer::start));

    // Addresses this account used before, offered as the clerk types a name; picking one fills
    // the whole address.
    for (AddressForm *form : { m_from, m_to }) {
        auto *completer = new QCompleter(m_suggestionList, this);
        completer->setCaseSensitivity(Qt::CaseInsensitive);
        completer->setFilterMode(Qt::MatchContains);
        form->field(QStringLiteral("name"))->setCompleter(completer);
        connect(completer, qOverload<const QString &>(&QCompleter::activated), this,
            [this, form](const QString &picked) { useSuggestion(form, picked); });
    }
    connect(m_account->lineEdit(), &QLineEdit::editingFinished, this,
        &NewShipmentDialog::loadSuggestions);
    connect(m_account, &QComboBox::textActivated, this, &NewShipmentDialog::loadSuggestions);
}

NewShipmentDialog::~NewShipmentDialog()
{
    // Hidden while its members live: hiding moves the focus, and the field that loses it reports
    // editingFinished to this dialog (QDialog's destructor would hide it too late).
    hide();
}

void NewShipmentDialog::checkIdFree()
{
    const QString id = m_id->text().trimmed();
    if (!isValidId(id))
        return;
    ShipmentIds::isTaken(m_session->api(), id, this, [this, id](std::optional<bool> taken) {
        if (taken == true) {
            m_takenIds.insert(id);
            m_touched.insert(kId); // said at once, not only once the clerk leaves the field
        } else if (taken == false) {
            m_takenIds.remove(id);
        }
        if (m_id->text().trimmed() == id)
            check(false);
        Q_EMIT idChecked(id);
    });
}

QStringList NewShipmentDialog::addressSuggestions() const
{
    return m_suggestionList->stringList();
}

void NewShipmentDialog::useSuggestion(AddressForm *form, const QString &suggestion)
{
    const auto found = m_suggestions.constFind(suggestion);
    if (found == m_suggestions.constEnd())
        return;
    form->setAddress(*found);
    check(false);
}

void NewShipmentDialog::loadSuggestions()
{
    const QString account = m_account->currentText().trimmed();
    if (account == m_suggestionsFor || !isValidId(account))
        return;
    m_suggestionsFor = account;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("accountId"), account);
    query.addQueryItem(QStringLiteral("sort"), QStringLiteral("createdTimestamp"));
    query.addQueryItem(QStringLiteral("order"), QStringLiteral("desc"));
    query.addQueryItem(QStringLiteral("limit"), QStringLiteral("200"));
    m_session->api()->get(
        QStringLiteral("/shipments"), query, this, [this, account](const ApiResult &result) {
            if (account != m_suggestionsFor || !result.ok())
                return;
            QStringList texts;
            QHash<QString, Address> addresses;
            for (const QJsonValue &value : result.array()) {
                const ShipmentState s = ShipmentState::fromJson(value.toObject());
                for (const Address *a : { &s.shipFrom, &s.shipTo }) {
                    QString text = a->name + QStringLiteral(", ") + a->line1;
                    if (!a->line2.isEmpty())
                        text += QStringLiteral(", ") + a->line2;
                    text += QStringLiteral(", %1 %2 %3").arg(a->city, a->state, a->zip);
                    if (!addresses.contains(text)) {
                        addresses.insert(text, *a);
                        texts.append(text);
                    }
                }
            }
            m_suggestions = addresses;
            m_suggestionList->setStringList(texts);
            Q_EMIT suggestionsLoaded();
        });
}

QString NewShipmentDialog::explain(const QString &field, const QString &serverMessage) const
{
    // The rules are the server's; the words are for the clerk, in the clerk's language.
    if (field == kId || field == kAccount)
        return tr("1 to 64 letters, digits, '-', '_' or '.'.");
    if (field == kWeight)
        return tr("A weight from 1 to 80,000 lb.");
    if (field.startsWith(kDelivery))
        return tr("The delivery window must not end before the pickup window starts.");
    if (field.startsWith(kPickup))
        return tr("The window ends before it starts.");
    if (field.startsWith(kAccessorials))
        return tr("Codes of letters, digits, '-', '_' or '.', each once, separated by commas.");
    const QString key = field.section(QLatin1Char('/'), 1);
    if (key == QLatin1String("state"))
        return tr("Two letters, e.g. TX.");
    if (key == QLatin1String("zip"))
        return tr("Five digits, e.g. 78701.");
    if (key == QLatin1String("name") || key == QLatin1String("line1")
        || key == QLatin1String("city"))
        return tr("Required.");
    return serverMessage;
}

void NewShipmentDialog::showProblem(const QString &field, const QString &problem)
{
    auto mark = [&problem](QLabel *label, QWidget *edit) {
        label->setText(problem);
        label->setVisible(!problem.isEmpty());
        edit->setStyleSheet(
            problem.isEmpty() ? QString() : QStringLiteral("border:1px solid #B00020;"));
        edit->setAccessibleDescription(problem);
    };
    if (field == kId)
        mark(m_idProblem, m_id);
    else if (field == kAccount)
        mark(m_accountProblem, m_account->lineEdit());
    else if (field == kWeight)
        mark(m_weightProblem, m_weight);
    else if (field.startsWith(kAccessorials))
        mark(m_accessorialsProblem, m_accessorials);
    else if (field.startsWith(QLatin1String("shipFrom/")))
        m_from->setProblem(field.section(QLatin1Char('/'), 1), problem);
    else if (field.startsWith(QLatin1String("shipTo/")))
        m_to->setProblem(field.section(QLatin1Char('/'), 1), problem);
    else if (field.startsWith(kPickup))
        m_pickup->setProblem(problem);
    else if (field.startsWith(kDelivery))
        m_delivery->setProblem(problem);
}

QString NewShipmentDialog::problem(const QString &field) const
{
    if (field == kId)
        return !m_idProblem->isHidden() ? m_idProblem->text() : QString();
    if (field == kAccount)
        return !m_accountProblem->isHidden() ? m_accountProblem->text() : QString();
    if (field == kWeight)
        return !m_weightProblem->isHidden() ? m_weightProblem->text() : QString();
    if (field == kAccessorials)
        return !m_accessorialsProblem->isHidden() ? m_accessorialsProblem->text() : QString();
    if (field.startsWith(QLatin1String("shipFrom/")))
        return m_from->problem(field.section(QLatin1Char('/'), 1));
    if (field.startsWith(QLatin1String("shipTo/")))
        return m_to->problem(field.section(QLatin1Char('/'), 1));
    if (field == kPickup)
        return m_pickup->problem();
    if (field == kDelivery)
        return m_delivery->problem();
    return {};
}

std::optional<QJsonObject> NewShipmentDialog::check(bool showAll)
{
    QJsonObject body { { QStringLiteral("shipFrom"), m_from->toJson() },
        { QStringLiteral("shipTo"), m_to->toJson() },
        { kAccount, m_account->currentText().trimmed() } };
    // A weight that is not a number goes as text, so the validation names it.
    const std::optional<double> weight = parseWeight(m_weight->text());
    body.insert(kWeight, weight ? QJsonValue(*weight) : QJsonValue(m_weight->text()));
    if (const QStringList codes = QuoteService::parseAccessorials(m_accessorials->text());
        !codes.isEmpty())
        body.insert(kAccessorials, QJsonArray::fromStringList(codes));
    if (const std::optional<TimeWindow> w = m_pickup->window())
        body.insert(kPickup, w->toJson());
    if (const std::optional<TimeWindow> w = m_delivery->window())
        body.insert(kDelivery, w->toJson());

    QHash<QString, QString> problems;
    const QString id = m_id->text().trimmed();
    if (!isValidId(id))
        problems.insert(kId, explain(kId, {}));
    else if (m_takenIds.contains(id))
        problems.insert(kId, tr("Shipment %1 exists already; choose another id.").arg(id));
    QJsonObject data;
    for (const ValidationError &error : validateCommandBody(CommandType::Submit, body, &data)) {
        QStringList path;
        for (const QJsonValue &step : error.path)
            path.append(step.toString());
        QString field = path.join(QLatin1Char('/'));
        // A window's problem is shown under the whole window, whichever end it names.
        if (field.startsWith(kPickup) || field.startsWith(kDelivery)
            || field.startsWith(kAccessorials))
            field = path.first();
        if (!problems.contains(field))
            problems.insert(field, explain(field, error.message));
    }

    QStringList fields { kId, kAccount, kWeight, kAccessorials, kPickup, kDelivery };
    for (const QString &key : AddressForm::keys())
        fields << QStringLiteral("shipFrom/") + key << QStringLiteral("shipTo/") + key;
    for (const QString &field : fields) {
        if (showAll || m_touched.contains(field))
            showProblem(field, problems.value(field));
    }
    if (problems.isEmpty())
        m_summary->setVisible(false);
    return problems.isEmpty() ? std::optional<QJsonObject>(body) : std::nullopt;
}

void NewShipmentDialog::requestQuote()
{
    const quint64 generation = ++m_quoteGeneration;
    const std::optional<double> weight = parseWeight(m_weight->text());
    if (!weight || *weight < 1 || *weight > 80000) {
        m_quote->setText(tr("The cost is quoted once a weight from 1 to 80,000 lb is entered."));
        return;
    }
    const std::optional<QJsonObject> body
        = QuoteService::pricingBody(m_from->field(QStringLiteral("state"))->text(),
            m_to->field(QStringLiteral("state"))->text(), *weight,
            QuoteService::parseAccessorials(m_accessorials->text()));
    if (!body) {
        m_quote->setText(tr("The cost is quoted once the weight and both states are entered."));
        return;
    }
    m_quotes->quote(*body, this, [this, generation](const Quote &quote) {
        if (generation != m_quoteGeneration)
            return; // typed on meanwhile; a newer quote is coming
        if (!quote.problem.isEmpty())
            m_quote->setText(tr("No price for this: %1").arg(quote.problem));
        else if (quote.fromServer)
            m_quote->setText(tr("Cost: %1 (quoted by the server, rate table %2).\n%3")
                                 .arg(MoneyText::display(quote.cents), quote.rateTableVersion,
                                     quote.breakdownText()));
        else
            m_quote->setText(tr("Cost: about %1 at the standard rate; the server sets the price "
                                "when the shipment is submitted.")
                                 .arg(MoneyText::display(quote.cents)));
        Q_EMIT quoteShown();
    });
}

QString NewShipmentDialog::quoteText() const
{
    return m_quote->text();
}

QString NewShipmentDialog::summaryText() const
{
    return !m_summary->isHidden() ? m_summary->text() : QString();
}

void NewShipmentDialog::submit()
{
    const std::optional<QJsonObject> body = check(true);
    if (!body) {
        m_summary->setText(tr("Some fields need attention; each says what is wrong."));
        m_summary->setVisible(true);
        return;
    }
    const QString id = m_id->text().trimmed();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_summary->setText(tr("Sending…"));
    m_summary->setVisible(true);
    m_session->commands()->send({ CommandType::Submit, id, *body }, this,
        [this, id](const CommandResult &result) { onResult(result, id); });
}

void NewShipmentDialog::onResult(const CommandResult &result, const QString &id)
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
    switch (result.outcome) {
    case CommandResult::Outcome::Succeeded:
    case CommandResult::Outcome::Pending: {
        Cents cost = -1;
        for (const QJsonValue &event : result.events) {
            const QJsonObject data = event.toObject().value(QLatin1String("data")).toObject();
            if (data.contains(QLatin1String("costCents")))
                cost = static_cast<Cents>(data.value(QLatin1String("costCents")).toDouble());
        }
        Q_EMIT submitted(id,
            cost >= 0 ? tr("Shipment %1 submitted; cost %2.").arg(id, MoneyText::display(cost))
                      : tr("Shipment %1 submitted.").arg(id));
        accept();
        return;
    }
    case CommandResult::Outcome::Refused: {
        bool shown = false;
        for (const FieldError &error : result.fieldErrors) {
            const QString field = error.path.join(QLatin1Char('/'));
            showProblem(field, error.message);
            shown = shown || !field.isEmpty();
        }
        m_summary->setText(shown ? tr("The server found problems; each field says what is wrong.")
                                 : result.message);
        return;
    }
    case CommandResult::Outcome::Rejected:
        m_summary->setText(tr("The shipment was refused: %1").arg(result.message));
        return;
    case CommandResult::Outcome::Failed:
        m_summary->setText(
            tr("%1 Sending again is safe: it will not be submitted twice.").arg(result.message));
        return;
    }
}

} // namespace waybill::app
