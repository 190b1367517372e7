#include "amenddialog.h"

#include "addressform.h"
#include "client/quoteservice.h"
#include "domain/commandvalidation.h"
#include "domain/pricing.h"
#include "presentation/moneytext.h"
#include "session/session.h"
#include "windowedit.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QVBoxLayout>

namespace waybill::app {

namespace {
constexpr int kQuoteDelayMs = 250;
} // namespace

AmendDialog::AmendDialog(Session *session, const ShipmentState &shipment, QWidget *parent)
    : CommandForm(session, shipment.version, parent)
    , m_shipment(shipment)
    , m_quotes(new QuoteService(session->api(), this))
    , m_weight(new QLineEdit(this))
    , m_account(new QLineEdit(this))
    , m_accessorials(new QLineEdit(this))
    , m_from(new AddressForm(tr("Ship from"), QStringLiteral("amendFrom"), this))
    , m_to(new AddressForm(tr("Ship to"), QStringLiteral("amendTo"), this))
    , m_pickup(new WindowEdit(tr("&Pickup:"), QStringLiteral("amendPickup"), this))
    , m_delivery(new WindowEdit(tr("D&elivery:"), QStringLiteral("amendDelivery"), this))
    , m_reason(new QLineEdit(this))
    , m_preview(new QLabel(this))
{
    setObjectName(QStringLiteral("amendDialog"));
    setWindowTitle(tr("Amend shipment %1").arg(shipment.id));
    const QLocale locale;
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Correct shipment %1 (version %2). The history keeps what it was "
                                "and your reason; only what you change is sent.")
                                 .arg(shipment.id)
                                 .arg(shipment.version),
        this);
    intro->setObjectName(QStringLiteral("explanation"));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    m_weight->setObjectName(QStringLiteral("amendWeight"));
    m_weight->setText(locale.toString(shipment.weightInPounds, 'g', 12));
    m_weight->setAccessibleName(tr("Weight in pounds"));
    form->addRow(tr("&Weight (lb):"), m_weight);
    m_account->setObjectName(QStringLiteral("amendAccount"));
    m_account->setText(shipment.billToAccountId);
    m_account->setAccessibleName(tr("Bill to account"));
    form->addRow(tr("&Bill to:"), m_account);
    m_accessorials->setObjectName(QStringLiteral("amendAccessorials"));
    m_accessorials->setText(shipment.accessorials.join(QLatin1String(", ")));
    m_accessorials->setPlaceholderText(tr("e.g. liftgate, residential (optional)"));
    m_accessorials->setAccessibleName(tr("Accessorial charges"));
    form->addRow(tr("Acce&ssorials:"), m_accessorials);
    layout->addLayout(form);
    m_from->setAddress(shipment.shipFrom);
    m_to->setAddress(shipment.shipTo);
    auto *addresses = new QHBoxLayout;
    addresses->addWidget(m_from);
    addresses->addWidget(m_to);
    layout->addLayout(addresses);
    m_pickup->setWindow(shipment.pickupWindow);
    m_delivery->setWindow(shipment.deliveryWindow);
    layout->addWidget(m_pickup);
    layout->addWidget(m_delivery);

    auto *reasonForm = new QFormLayout;
    m_reason->setObjectName(QStringLiteral("amendReason"));
    m_reason->setPlaceholderText(tr("e.g. The customer gave the wrong weight"));
    m_reason->setAccessibleName(tr("Reason"));
    reasonForm->addRow(tr("&Reason:"), m_reason);
    layout->addLayout(reasonForm);

    m_preview->setObjectName(QStringLiteral("repricePreview"));
    m_preview->setWordWrap(true);
    m_preview->setStyleSheet(QStringLiteral(
        "QLabel{background:#EEF4FB;border:1px solid #9DB9DD;border-radius:3px;padding:6px;}"));
    layout->addWidget(m_preview);
    addFooter(layout, tr("Amend"));
    connect(m_weight, &QLineEdit::textChanged, this, &AmendDialog::updatePreview);
    connect(m_account, &QLineEdit::textChanged, this, &AmendDialog::updatePreview);
    connect(m_accessorials, &QLineEdit::textChanged, this, &AmendDialog::updatePreview);
    connect(m_from, &AddressForm::edited, this, &AmendDialog::updatePreview);
    connect(m_to, &AddressForm::edited, this, &AmendDialog::updatePreview);
    m_quoteDelay.setSingleShot(true);
    m_quoteDelay.setInterval(kQuoteDelayMs);
    connect(&m_quoteDelay, &QTimer::timeout, this, &AmendDialog::requestQuote);
    updatePreview();
}

QString AmendDialog::previewText() const
{
    return m_preview->text();
}

std::optional<QJsonObject> AmendDialog::changes(QString *problem) const
{
    QJsonObject body;
    bool ok = false;
    const double weight = QLocale().toDouble(m_weight->text().trimmed(), &ok);
    if (!ok) {
        *problem = tr("Enter the weight in pounds, from 1 to 80,000.");
        return std::nullopt;
    }
    if (weight != m_shipment.weightInPounds)
        body.insert(QStringLiteral("weightInPounds"), weight);
    const QString account = m_account->text().trimmed();
    if (account != m_shipment.billToAccountId)
        body.insert(QStringLiteral("billToAccountId"), account);
    const QStringList accessorials = QuoteService::parseAccessorials(m_accessorials->text());
    if (accessorials != m_shipment.accessorials)
        body.insert(QStringLiteral("accessorials"), QJsonArray::fromStringList(accessorials));
    const QJsonObject from = m_from->toJson();
    if (!(Address::fromJson(from) == m_shipment.shipFrom))
        body.insert(QStringLiteral("shipFrom"), from);
    const QJsonObject to = m_to->toJson();
    if (!(Address::fromJson(to) == m_shipment.shipTo))
        body.insert(QStringLiteral("shipTo"), to);
    for (const auto &[key, edit, was] :
        { std::tuple { QStringLiteral("pickupWindow"), m_pickup, m_shipment.pickupWindow },
            std::tuple {
                QStringLiteral("deliveryWindow"), m_delivery, m_shipment.deliveryWindow } }) {
        const std::optional<TimeWindow> now = edit->window();
        if (!now && was) {
            // The contract changes a window; it has no way to take one away.
            *problem = tr("A window cannot be removed; change its times instead.");
            return std::nullopt;
        }
        if (now && now != was)
            body.insert(key, now->toJson());
    }
    return body;
}

void AmendDialog::updatePreview()
{
    ++m_previewGeneration; // an answer to an earlier quote no longer applies
    m_quoteDelay.stop();
    QString problem;
    const std::optional<QJsonObject> changed = changes(&problem);
    const QString now = MoneyText::display(m_shipment.costCents);
    if (!changed) {
        m_preview->setText(tr("Cost now %1. %2").arg(now, problem));
        Q_EMIT previewUpdated();
        return;
    }
    const bool accountChanged = changed->contains(QLatin1String("billToAccountId"));
    const QString account = m_account->text().trimmed();
    const auto stateOf = [changed](const char *key, const Address &before) {
        return laneState(changed->contains(QLatin1String(key))
                ? Address::fromJson(changed->value(QLatin1String(key)).toObject()).state
                : before.state);
    };
    // The server re-prices only when what the price is made of changes, as here: a lane's state
    // compared by the reducer's own rule.
    const bool repriced = changed->contains(QLatin1String("weightInPounds"))
        || changed->contains(QLatin1String("accessorials"))
        || stateOf("shipFrom", m_shipment.shipFrom) != laneState(m_shipment.shipFrom.state)
        || stateOf("shipTo", m_shipment.shipTo) != laneState(m_shipment.shipTo.state);
    if (!repriced) {
        m_preview->setText(accountChanged
                ? tr("Cost stays %1, billed to %2 instead of %3: that account's hold and "
                     "credit limit are checked.")
                      .arg(now, account, m_shipment.billToAccountId)
                : tr("Cost stays %1.").arg(now));
        Q_EMIT previewUpdated();
        return;
    }
    m_preview->setText(tr("Cost now %1; the new price is being quoted…").arg(now));
    m_quoteDelay.start();
}

void AmendDialog::requestQuote()
{
    QString problem;
    const std::optional<QJsonObject> changed = changes(&problem);
    if (!changed)
        return;
    // changes() read the weight; an unchanged one is the shipment's own.
    const double weight = changed->contains(QLatin1String("weightInPounds"))
        ? changed->value(QLatin1String("weightInPounds")).toDouble()
        : m_shipment.weightInPounds;
    const std::optional<QJsonObject> body
        = QuoteService::pricingBody(m_from->field(QStringLiteral("state"))->text(),
            m_to->field(QStringLiteral("state"))->text(), weight,
            QuoteService::parseAccessorials(m_accessorials->text()));
    // The weight's range is the server's, as validateCommandBody checks it for every command.
    bool weightRight = body.has_value();
    if (body) {
        QJsonObject checked;
        const QJsonArray weightPath { QStringLiteral("weightInPounds") };
        const ValidationErrors errors = validateCommandBody(CommandType::Submit, *body, &checked);
        weightRight = std::none_of(errors.cbegin(), errors.cend(),
            [&weightPath](const ValidationError &error) { return error.path == weightPath; });
    }
    const QString now = MoneyText::display(m_shipment.costCents);
    if (!weightRight) {
        m_preview->setText(tr("Cost now %1. The new price is quoted once the weight and both "
                              "states are right.")
                               .arg(now));
        Q_EMIT previewUpdated();
        return;
    }
    const bool accountChanged = changed->contains(QLatin1String("billToAccountId"));
    const QString account = m_account->text().trimmed();
    const quint64 generation = m_previewGeneration;
    m_quotes->quote(
        *body, this, [this, generation, now, accountChanged, account](const Quote &quote) {
            if (generation != m_previewGeneration)
                return;
            if (!quote.problem.isEmpty()) {
                m_preview->setText(
                    tr("Cost now %1. No price after the amendment: %2").arg(now, quote.problem));
                Q_EMIT previewUpdated();
                return;
            }
            const Cents difference = quote.cents - m_shipment.costCents;
            QString text = tr("Cost now %1; after the amendment %2 (%3%4).")
                               .arg(now, MoneyText::display(quote.cents),
                                   difference >= 0 ? QStringLiteral("+") : QString(),
                                   MoneyText::display(difference));
            if (!quote.fromServer)
                text += QLatin1Char(' ') + tr("Estimate from the standard rate.");
            if (accountChanged)
                text += QLatin1Char(' ')
                    + tr("Billed to %1 instead of %2.").arg(account, m_shipment.billToAccountId);
            if (quote.fromServer)
                text += QLatin1Char('\n') + quote.breakdownText();
            m_preview->setText(text);
            Q_EMIT previewUpdated();
        });
}

void AmendDialog::submit()
{
    QString problem;
    std::optional<QJsonObject> body = changes(&problem);
    if (!body) {
        showProblem(problem);
        m_weight->setFocus();
        return;
    }
    if (body->isEmpty()) {
        showProblem(tr("Nothing is changed."));
        return;
    }
    const QString reason = m_reason->text().trimmed();
    if (reason.isEmpty()) {
        showProblem(tr("Say why the shipment is amended: the history keeps the reason."));
        m_reason->setFocus();
        return;
    }
    body->insert(QStringLiteral("reason"), reason);
    for (const QString &key : AddressForm::keys()) {
        m_from->setProblem(key, {});
        m_to->setProblem(key, {});
    }
    QJsonObject data;
    const ValidationErrors errors = validateCommandBody(CommandType::Amend, *body, &data);
    if (!errors.isEmpty()) {
        for (const auto &error : errors) {
            if (error.path.size() != 2)
                continue;
            const QString where = error.path.first().toString();
            AddressForm *form = where == QLatin1String("shipFrom") ? m_from
                : where == QLatin1String("shipTo")                 ? m_to
                                                                   : nullptr;
            if (form)
                form->setProblem(error.path.at(1).toString(), error.message);
        }
        const QString where
            = errors.first().path.isEmpty() ? QString() : errors.first().path.first().toString();
        showProblem(where == QLatin1String("weightInPounds")
                ? tr("Enter the weight in pounds, from 1 to 80,000.")
                : where == QLatin1String("billToAccountId")
                ? tr("An account id is 1 to 64 letters, digits, '-', '_' or '.'.")
                : errors.first().message);
        return;
    }
    send({ CommandType::Amend, m_shipment.id, *body, expectedVersion() });
}

} // namespace waybill::app
