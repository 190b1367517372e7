#include "accounteditor.h"

#include "addressform.h"
#include "domain/commandvalidation.h"
#include "domain/ids.h"
#include "presentation/moneytext.h"
#include "session/session.h"
#include "usagebardelegate.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QSpinBox>
#include <QVBoxLayout>

namespace waybill::app {

namespace {
constexpr int kBarScale = 1000;
} // namespace

AccountEditor::AccountEditor(Session *session, const AccountRow *existing, QWidget *parent)
    : CommandForm(session, existing ? existing->state.version : 0, parent)
    , m_opening(!existing || !existing->state.registered)
    , m_id(new QLineEdit(this))
    , m_name(new QLineEdit(this))
    , m_address(new AddressForm(tr("Billing address"), QStringLiteral("billingAddress"), this))
    , m_terms(new QSpinBox(this))
    , m_limit(new QLineEdit(this))
    , m_exposureBar(new QProgressBar(this))
    , m_exposure(new QLabel(this))
{
    setObjectName(QStringLiteral("accountEditor"));
    setMinimumWidth(480);
    if (existing)
        m_existing = *existing;
    setWindowTitle(
        m_opening ? tr("Open an account") : tr("Edit account %1").arg(existing->state.id));

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(this);
    intro->setObjectName(QStringLiteral("explanation"));
    intro->setWordWrap(true);
    if (!existing)
        intro->setText(tr("Open a new bill-to account. Shipments billed to it are refused while "
                          "it is on hold or past its credit limit."));
    else if (m_opening)
        intro->setText(tr("Account %1 is known from its shipments and payments but was never "
                          "opened. Opening it gives it a record: name, address, terms and limit.")
                           .arg(existing->state.id));
    else
        intro->setText(tr("You are editing version %1 of account %2. Only what you change is "
                          "sent.")
                           .arg(existing->state.version)
                           .arg(existing->state.id));
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    m_id->setObjectName(QStringLiteral("accountId"));
    m_id->setPlaceholderText(tr("e.g. ACME-001"));
    m_id->setAccessibleName(tr("Account id"));
    if (existing) {
        m_id->setText(existing->state.id);
        m_id->setReadOnly(true);
    }
    form->addRow(tr("Account &id:"), m_id);
    m_name->setObjectName(QStringLiteral("accountName"));
    m_name->setPlaceholderText(tr("e.g. Acme Industrial Supply"));
    m_name->setAccessibleName(tr("Name"));
    form->addRow(tr("&Name:"), m_name);
    m_terms->setObjectName(QStringLiteral("paymentTerms"));
    m_terms->setRange(0, 120);
    m_terms->setValue(kDefaultPaymentTermsDays);
    m_terms->setSuffix(tr(" days"));
    m_terms->setAccessibleName(tr("Payment terms"));
    form->addRow(tr("Payment &terms:"), m_terms);
    m_limit->setObjectName(QStringLiteral("creditLimit"));
    m_limit->setPlaceholderText(tr("empty: no limit"));
    m_limit->setAccessibleName(tr("Credit limit"));
    form->addRow(tr("Credit &limit ($):"), m_limit);
    m_exposureBar->setObjectName(QStringLiteral("exposureBar"));
    m_exposureBar->setRange(0, kBarScale);
    m_exposureBar->setTextVisible(false);
    m_exposureBar->setMaximumHeight(14);
    m_exposureBar->setAccessibleName(tr("Exposure against the credit limit"));
    m_exposure->setObjectName(QStringLiteral("exposureText"));
    m_exposure->setWordWrap(true);
    auto *exposureBox = new QVBoxLayout;
    exposureBox->addWidget(m_exposureBar);
    exposureBox->addWidget(m_exposure);
    form->addRow(tr("Exposure:"), exposureBox);
    layout->addLayout(form);
    layout->addWidget(m_address);

    if (existing && existing->state.registered) {
        m_name->setText(existing->state.name);
        m_address->setAddress(existing->state.billingAddress);
        m_terms->setValue(existing->state.paymentTermsDays);
        if (existing->state.creditLimitCents)
            m_limit->setText(
                QLocale()
                    .toString(double(*existing->state.creditLimitCents) / 100.0, 'f', 2)
                    .remove(QLocale().groupSeparator()));
    }

    addFooter(layout, m_opening ? tr("Open account") : tr("Save changes"));
    connect(m_limit, &QLineEdit::textChanged, this, &AccountEditor::updateExposure);
    updateExposure();
}

QString AccountEditor::exposureText() const
{
    return m_exposure->text();
}

bool AccountEditor::typedLimit(std::optional<Cents> *limit) const
{
    const QString text = m_limit->text().trimmed();
    if (text.isEmpty()) {
        limit->reset();
        return true;
    }
    static const QRegularExpression zero(QStringLiteral("^\\$?0*(?:[.,]0{0,2})?$"));
    if (zero.match(text).hasMatch()) {
        *limit = 0;
        return true;
    }
    const std::optional<Cents> cents = MoneyText::parse(text);
    if (!cents)
        return false;
    *limit = cents;
    return true;
}

void AccountEditor::updateExposure()
{
    const Cents exposure = m_existing ? m_existing->exposureCents : 0;
    std::optional<Cents> limit;
    if (!typedLimit(&limit)) {
        m_exposure->setText(tr("Enter the limit as an amount, e.g. 5000 or 5000.00."));
        return;
    }
    AccountRow preview;
    preview.exposureCents = exposure;
    preview.state.creditLimitCents = limit;
    const std::optional<double> use = preview.limitUse();
    m_exposureBar->setVisible(use.has_value());
    if (use) {
        m_exposureBar->setValue(int(std::clamp(*use, 0.0, 1.0) * kBarScale));
        m_exposureBar->setStyleSheet(QStringLiteral("QProgressBar::chunk{background:%1;}")
                                         .arg(UsageBarDelegate::colorOf(*use).name()));
    }
    if (!limit)
        m_exposure->setText(
            tr("%1 owed and not yet invoiced; no limit.").arg(MoneyText::display(exposure)));
    else if (preview.pastLimit())
        m_exposure->setText(tr("%1 of %2: past the limit. New shipments billed to this account "
                               "are refused.")
                                .arg(MoneyText::display(exposure), MoneyText::display(*limit)));
    else
        m_exposure->setText(tr("%1 of %2 (%3 left).")
                                .arg(MoneyText::display(exposure), MoneyText::display(*limit),
                                    MoneyText::display(*limit - exposure)));
}

void AccountEditor::submit()
{
    const QString id = m_id->text().trimmed();
    if (!isValidId(id)) {
        showProblem(tr("An account id is 1 to 64 letters, digits, '-', '_' or '.'."));
        m_id->setFocus();
        return;
    }
    std::optional<Cents> limit;
    if (!typedLimit(&limit)) {
        showProblem(tr("Enter the credit limit as an amount with at most two decimals, or leave "
                       "it empty for no limit."));
        m_limit->setFocus();
        return;
    }
    QJsonObject body;
    const QString name = m_name->text().trimmed();
    const QJsonObject address = m_address->toJson();
    if (m_opening) {
        body.insert(QStringLiteral("name"), name);
        body.insert(QStringLiteral("billingAddress"), address);
        body.insert(QStringLiteral("paymentTermsDays"), m_terms->value());
        if (limit)
            body.insert(QStringLiteral("creditLimit"), centsToDollarsJson(*limit));
    } else {
        const AccountState &was = m_existing->state;
        if (name != was.name)
            body.insert(QStringLiteral("name"), name);
        if (!(Address::fromJson(address) == was.billingAddress))
            body.insert(QStringLiteral("billingAddress"), address);
        if (m_terms->value() != was.paymentTermsDays)
            body.insert(QStringLiteral("paymentTermsDays"), m_terms->value());
        if (limit != was.creditLimitCents)
            body.insert(QStringLiteral("creditLimit"),
                limit ? centsToDollarsJson(*limit) : QJsonValue(QJsonValue::Null));
        if (body.isEmpty()) {
            showProblem(tr("Nothing is changed."));
            return;
        }
    }
    const CommandType type = m_opening ? CommandType::Open : CommandType::Update;
    // The server's own rules, from the same code, so the form never disagrees with it.
    for (const QString &key : AddressForm::keys())
        m_address->setProblem(key, {});
    QJsonObject data;
    const ValidationErrors errors = validateCommandBody(type, body, &data);
    if (!errors.isEmpty()) {
        for (const auto &error : errors) {
            if (error.path.size() == 2
                && error.path.first().toString() == QLatin1String("billingAddress"))
                m_address->setProblem(error.path.at(1).toString(), error.message);
        }
        const QString where
            = errors.first().path.isEmpty() ? QString() : errors.first().path.first().toString();
        showProblem(where == QLatin1String("name")         ? tr("Enter the account's name.")
                : where == QLatin1String("billingAddress") ? tr("Check the billing address.")
                                                           : errors.first().message);
        return;
    }
    send({ type, id, body, expectedVersion() });
}

} // namespace waybill::app
