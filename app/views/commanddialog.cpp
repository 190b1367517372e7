#include "commanddialog.h"

#include "client/changessince.h"
#include "domain/commandvalidation.h"
#include "domain/ids.h"
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

namespace {
const QString kErrorStyle = QStringLiteral("color:#B00020;");

bool isMoney(const QString &key)
{
    return key == QLatin1String("amount");
}

bool isWholeNumber(const QString &key)
{
    return key == QLatin1String("capacityPounds");
}
} // namespace

CommandDialog::CommandDialog(Session *session, CommandDialogSpec spec, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_spec(std::move(spec))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("commandDialog-%1")
                      .arg(m_spec.fields.isEmpty() ? commandTypeName(m_spec.type)
                                                   : m_spec.fields.first().key));
    setWindowTitle(m_spec.title);
    setMinimumWidth(420);
    auto *layout = new QVBoxLayout(this);
    if (!m_spec.explanation.isEmpty()) {
        auto *explanation = new QLabel(m_spec.explanation, this);
        explanation->setObjectName(QStringLiteral("explanation"));
        explanation->setWordWrap(true);
        layout->addWidget(explanation);
    }
    auto *form = new QFormLayout;
    for (const CommandField &f : std::as_const(m_spec.fields)) {
        QLineEdit *edit = nullptr;
        if (!f.suggestions.isEmpty()) {
            auto *combo = new QComboBox(this);
            combo->setEditable(true);
            combo->addItems(f.suggestions);
            combo->setCurrentIndex(-1);
            combo->setAccessibleName(f.label);
            edit = combo->lineEdit();
            form->addRow(f.label, combo);
        } else {
            edit = new QLineEdit(this);
            form->addRow(f.label, edit);
        }
        edit->setObjectName(m_first ? f.key : QStringLiteral("field"));
        edit->setProperty("fieldKey", f.key);
        edit->setAccessibleName(f.label);
        edit->setPlaceholderText(f.placeholder);
        edit->setText(f.initialText);
        connect(edit, &QLineEdit::textEdited, this, [this] { m_error->setVisible(false); });
        m_edits.insert(f.key, edit);
        if (!m_first)
            m_first = edit;
    }
    layout->addLayout(form);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(kErrorStyle);
    m_error->setVisible(false);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(m_spec.submitText);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &CommandDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

QLineEdit *CommandDialog::field(const QString &key) const
{
    return key.isEmpty() ? m_first : m_edits.value(key);
}

QString CommandDialog::errorText() const
{
    return !m_error->isHidden() ? m_error->text() : QString();
}

QString CommandDialog::problemWith(const QString &key) const
{
    if (key == QLatin1String("truckId"))
        return tr("A truck id is 1 to 64 letters, digits, '-', '_' or '.'.");
    if (key == QLatin1String("id"))
        return tr("An id is 1 to 64 letters, digits, '-', '_' or '.'.");
    if (key == QLatin1String("shipmentId"))
        return tr("A shipment id is 1 to 64 letters, digits, '-', '_' or '.'.");
    if (key == QLatin1String("reason")) {
        const QLineEdit *edit = m_edits.value(key);
        return edit && edit->text().trimmed().isEmpty() ? tr("Say why.")
                                                        : tr("The reason is too long.");
    }
    if (key == QLatin1String("signedBy") || key == QLatin1String("name"))
        return tr("The name is too long.");
    if (isMoney(key))
        return tr("Enter an amount greater than 0 with at most two decimals, e.g. 120.50.");
    if (isWholeNumber(key))
        return tr("Enter a whole number of pounds from 1 to 80,000.");
    return {};
}

std::optional<QJsonObject> CommandDialog::body(QString *problem, QString *problemKey) const
{
    QJsonObject body = m_spec.fixedBody;
    for (const CommandField &f : m_spec.fields) {
        const QString text = m_edits.value(f.key)->text().trimmed();
        if (text.isEmpty() && (f.optional || f.key == QLatin1String("signedBy")))
            continue;
        if (f.key == QLatin1String("id")) {
            // The id of what a command creates (a truck to register) is in the path.
            if (!isValidId(text)) {
                *problemKey = f.key;
                *problem = problemWith(f.key);
                return std::nullopt;
            }
        } else if (isMoney(f.key)) {
            const std::optional<Cents> cents = MoneyText::parse(text);
            if (!cents) {
                *problemKey = f.key;
                *problem = problemWith(f.key);
                return std::nullopt;
            }
            body.insert(f.key, centsToDollarsJson(*cents));
        } else if (isWholeNumber(f.key)) {
            bool ok = false;
            const int number = QLocale().toInt(text, &ok);
            if (!ok) {
                *problemKey = f.key;
                *problem = problemWith(f.key);
                return std::nullopt;
            }
            body.insert(f.key, number);
        } else {
            body.insert(f.key, text);
        }
    }
    // The server's own rules, from the same code, so the form never disagrees with it.
    QJsonObject data;
    const ValidationErrors errors = validateCommandBody(m_spec.type, body, &data);
    if (!errors.isEmpty()) {
        *problemKey
            = errors.first().path.isEmpty() ? QString() : errors.first().path.first().toString();
        *problem = problemWith(*problemKey);
        if (problem->isEmpty())
            *problem = errors.first().message;
        return std::nullopt;
    }
    return body;
}

void CommandDialog::showProblem(const QString &problem, const QString &key)
{
    m_error->setStyleSheet(kErrorStyle);
    m_error->setText(problem);
    m_error->setVisible(true);
    QLineEdit *edit = m_edits.value(key, m_first);
    if (edit)
        edit->setFocus();
}

void CommandDialog::submit()
{
    QString problem;
    QString problemKey;
    const std::optional<QJsonObject> payload = body(&problem, &problemKey);
    if (!payload) {
        showProblem(problem, problemKey);
        return;
    }
    if (QLineEdit *id = m_edits.value(QStringLiteral("id")))
        m_spec.entityId = id->text().trimmed();
    const CommandRequest request { m_spec.type, m_spec.entityId, *payload, m_spec.expectedVersion };
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
        if (result.currentVersion && m_spec.expectedVersion) {
            showChangedFirst(result.currentVersion, result.message);
            return;
        }
        for (const FieldError &error : result.fieldErrors) {
            if (!error.path.isEmpty() && m_edits.contains(error.path.first())) {
                showProblem(error.message, error.path.first());
                return;
            }
        }
        showProblem(result.message);
        return;
    case CommandResult::Outcome::Rejected:
        // Accepted against the version shown, then refused because the record moved on before
        // it ran: that is the same story as a 412, told the same way.
        if (m_spec.expectedVersion) {
            showChangedFirst(
                std::nullopt, tr("%1 was refused: %2").arg(description, result.message));
            return;
        }
        showProblem(tr("%1 was refused: %2").arg(description, result.message));
        return;
    case CommandResult::Outcome::Failed:
        showProblem(tr("%1 Sending again is safe: it will not be done twice.").arg(result.message));
        return;
    }
}

void CommandDialog::showChangedFirst(std::optional<int> currentVersion, const QString &fallback)
{
    const int seen = *m_spec.expectedVersion;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    ChangesSince::fetch(m_session->api(), m_spec.type, m_spec.entityId, seen, this,
        [this, seen, currentVersion, fallback](const QStringList &changes) {
            m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
            if (changes.isEmpty() && !currentVersion) {
                showProblem(fallback); // refused for another reason
                return;
            }
            const int now = currentVersion ? *currentVersion : seen + int(changes.size());
            showProblem(
                ChangesSince::explain(m_spec.type, m_spec.entityId, seen, currentVersion, changes));
            // The user has now seen what changed: sending again is a decision about this version.
            m_spec.expectedVersion = now;
        });
}

} // namespace waybill::app
