#include "commanddialog.h"

#include "domain/commandvalidation.h"
#include "domain/money.h"
#include "presentation/moneytext.h"
#include "session/session.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace waybill::app {

CommandDialog::CommandDialog(Session *session, CommandDialogSpec spec, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_spec(std::move(spec))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("commandDialog-%1").arg(m_spec.fieldKey));
    setWindowTitle(m_spec.title);
    auto *layout = new QVBoxLayout(this);
    if (!m_spec.explanation.isEmpty()) {
        auto *explanation = new QLabel(m_spec.explanation, this);
        explanation->setWordWrap(true);
        layout->addWidget(explanation);
    }
    auto *form = new QFormLayout;
    if (!m_spec.suggestions.isEmpty()) {
        m_combo = new QComboBox(this);
        m_combo->setEditable(true);
        m_combo->addItems(m_spec.suggestions);
        m_combo->setCurrentIndex(-1);
        m_edit = m_combo->lineEdit();
        form->addRow(m_spec.fieldLabel, m_combo);
        m_combo->setAccessibleName(m_spec.fieldLabel);
    } else {
        m_edit = new QLineEdit(this);
        form->addRow(m_spec.fieldLabel, m_edit);
    }
    m_edit->setObjectName(QStringLiteral("field"));
    m_edit->setAccessibleName(m_spec.fieldLabel);
    m_edit->setPlaceholderText(m_spec.placeholder);
    m_edit->setText(m_spec.initialText);
    layout->addLayout(form);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color:#B00020;"));
    m_error->setVisible(false);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(m_spec.submitText);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &CommandDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_edit, &QLineEdit::textEdited, this, [this] { m_error->setVisible(false); });
}

QString CommandDialog::errorText() const
{
    return !m_error->isHidden() ? m_error->text() : QString();
}

QString CommandDialog::problemWith(const QString &key) const
{
    if (key == QLatin1String("truckId"))
        return tr("A truck id is 1 to 64 letters, digits, '-', '_' or '.'.");
    if (key == QLatin1String("reason"))
        return m_edit->text().trimmed().isEmpty() ? tr("Say why the shipment is cancelled.")
                                                  : tr("The reason is too long.");
    if (key == QLatin1String("signedBy"))
        return tr("The name is too long.");
    if (key == QLatin1String("amount"))
        return tr("Enter an amount greater than 0 with at most two decimals, e.g. 120.50.");
    return {};
}

std::optional<QJsonObject> CommandDialog::body(QString *problem) const
{
    const QString text = m_edit->text().trimmed();
    QJsonObject body;
    if (m_spec.fieldKey == QLatin1String("amount")) {
        const std::optional<Cents> cents = MoneyText::parse(text);
        if (!cents) {
            *problem = problemWith(m_spec.fieldKey);
            return std::nullopt;
        }
        body.insert(QStringLiteral("amount"), centsToDollarsJson(*cents));
    } else if (!text.isEmpty() || m_spec.fieldKey != QLatin1String("signedBy")) {
        body.insert(m_spec.fieldKey, text);
    }
    // The server's own rules, from the same code, so the form never disagrees with it.
    QJsonObject data;
    const ValidationErrors errors = validateCommandBody(m_spec.type, body, &data);
    if (!errors.isEmpty()) {
        const QString key
            = errors.first().path.isEmpty() ? QString() : errors.first().path.first().toString();
        *problem = problemWith(key);
        if (problem->isEmpty())
            *problem = errors.first().message;
        return std::nullopt;
    }
    return body;
}

void CommandDialog::showProblem(const QString &problem)
{
    m_error->setText(problem);
    m_error->setVisible(true);
    m_edit->setFocus();
}

void CommandDialog::submit()
{
    QString problem;
    const std::optional<QJsonObject> payload = body(&problem);
    if (!payload) {
        showProblem(problem);
        return;
    }
    CommandRequest request { m_spec.type, m_spec.entityId, *payload };
    const QString description = request.description();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_error->setText(tr("Sending…"));
    m_error->setStyleSheet(QString());
    m_error->setVisible(true);
    m_session->commands()->send(request, this,
        [this, description](const CommandResult &result) { onResult(result, description); });
}

void CommandDialog::onResult(const CommandResult &result, const QString &description)
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
    m_error->setStyleSheet(QStringLiteral("color:#B00020;"));
    switch (result.outcome) {
    case CommandResult::Outcome::Succeeded:
        Q_EMIT succeeded(tr("%1: done.").arg(description));
        accept();
        return;
    case CommandResult::Outcome::Pending:
        Q_EMIT succeeded(
            tr("%1: recorded. Waybill tells you if it cannot be carried out.").arg(description));
        accept();
        return;
    case CommandResult::Outcome::Refused:
        for (const FieldError &error : result.fieldErrors) {
            if (!error.path.isEmpty() && error.path.first() == m_spec.fieldKey) {
                showProblem(error.message);
                return;
            }
        }
        showProblem(result.message);
        return;
    case CommandResult::Outcome::Rejected:
        showProblem(tr("%1 was refused: %2").arg(description, result.message));
        return;
    case CommandResult::Outcome::Failed:
        showProblem(tr("%1 Sending again is safe: it will not be done twice.").arg(result.message));
        return;
    }
}

} // namespace waybill::app
