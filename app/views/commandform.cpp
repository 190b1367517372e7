#include "commandform.h"

#include "client/changessince.h"
#include "session/session.h"

#include <QBoxLayout>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>

namespace waybill::app {

namespace {
const QString kErrorStyle = QStringLiteral("color:#B00020;");
} // namespace

CommandForm::CommandForm(Session *session, std::optional<int> expectedVersion, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_expectedVersion(expectedVersion)
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(kErrorStyle);
    m_error->setVisible(false);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] { submit(); });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void CommandForm::addFooter(QBoxLayout *layout, const QString &submitText)
{
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(submitText);
}

QString CommandForm::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QWidget *CommandForm::fieldFor(const QString &) const
{
    return nullptr;
}

void CommandForm::showProblem(const QString &problem, const QString &fieldKey)
{
    m_error->setStyleSheet(kErrorStyle);
    m_error->setText(problem);
    m_error->setVisible(true);
    QWidget *field = fieldFor(fieldKey);
    if (!field && !fieldKey.isEmpty())
        field = fieldFor({});
    if (field)
        field->setFocus();
}

void CommandForm::hideProblem()
{
    m_error->setVisible(false);
}

void CommandForm::send(const CommandRequest &request)
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_error->setStyleSheet(QString());
    m_error->setText(tr("Sending…"));
    m_error->setVisible(true);
    m_session->commands()->send(
        request, this, [this, request](const CommandResult &result) { onResult(result, request); });
}

void CommandForm::onResult(const CommandResult &result, const CommandRequest &request)
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
    const QString description = request.description();
    switch (result.outcome) {
    case CommandResult::Outcome::Succeeded:
    case CommandResult::Outcome::Pending:
        Q_EMIT succeeded(CommandSender::successText(result, description));
        accept();
        return;
    case CommandResult::Outcome::Refused:
        if (result.currentVersion && m_expectedVersion) {
            showChangedFirst(request, result.currentVersion, result.message);
            return;
        }
        for (const FieldError &error : result.fieldErrors) {
            if (!error.path.isEmpty() && fieldFor(error.path.first())) {
                showProblem(error.message, error.path.first());
                return;
            }
        }
        showProblem(result.message);
        return;
    case CommandResult::Outcome::Rejected:
        // Accepted against the version shown, then refused because the record moved on before
        // it ran: that is the same story as a 412, told the same way.
        if (m_expectedVersion) {
            showChangedFirst(
                request, std::nullopt, tr("%1 was refused: %2").arg(description, result.message));
            return;
        }
        showProblem(tr("%1 was refused: %2").arg(description, result.message));
        return;
    case CommandResult::Outcome::Failed:
        showProblem(tr("%1 Sending again is safe: it will not be done twice.").arg(result.message));
        return;
    }
}

void CommandForm::showChangedFirst(
    const CommandRequest &request, std::optional<int> currentVersion, const QString &fallback)
{
    const int seen = *m_expectedVersion;
    const CommandType type = request.type;
    const QString entityId = request.entityId;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    ChangesSince::fetch(m_session->api(), type, entityId, seen, this,
        [this, type, entityId, seen, currentVersion, fallback](const QStringList &changes) {
            m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
            if (changes.isEmpty() && !currentVersion) {
                showProblem(fallback); // refused for another reason
                return;
            }
            const int now = currentVersion ? *currentVersion : seen + int(changes.size());
            showProblem(ChangesSince::explain(type, entityId, seen, currentVersion, changes));
            // The user has now seen what changed: sending again is a decision about this version.
            m_expectedVersion = now;
        });
}

} // namespace waybill::app
