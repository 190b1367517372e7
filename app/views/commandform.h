// What every form that sends one command has in common: the line under its fields that says what
// went wrong (or "Sending…"), the submit button, held while the command is out, the version the
// user saw (If-Match), and what each outcome does. Done or recorded closes the form; a refusal
// keeps it open with the reason, at the field it is about when the form has one. A refusal for an
// old version (412), or a rejection of a command accepted against the version shown (the record
// moved on before it ran), tells what someone else changed first and takes the version now, so
// that sending again is a decision about what the user has seen.
#pragma once

#include "client/commandsender.h"

#include <QDialog>

#include <optional>

class QBoxLayout;
class QDialogButtonBox;
class QLabel;

namespace waybill::app {

class Session;

class CommandForm : public QDialog
{
    Q_OBJECT
public:
    // What the problem line says, or empty while it is hidden.
    QString errorText() const;
    // The version sent as If-Match (nullopt: none).
    std::optional<int> expectedVersion() const { return m_expectedVersion; }
    // Checks the form and sends its command (what the submit button does).
    virtual void submit() = 0;

Q_SIGNALS:
    // Done or recorded, in words for the status bar; the form has closed.
    void succeeded(const QString &message);

protected:
    CommandForm(Session *session, std::optional<int> expectedVersion, QWidget *parent);

    // Ends the form's layout with the problem line and the buttons; submitText names the action.
    void addFooter(QBoxLayout *layout, const QString &submitText);
    // Sends the command and holds the submit button until its outcome is shown.
    void send(const CommandRequest &request);
    // Shows the problem and puts the focus on the field it is about, or else on the form's
    // default field, if it has them.
    void showProblem(const QString &problem, const QString &fieldKey = {});
    void hideProblem();
    // The field of a body's key (empty: the one to focus by default), or null.
    virtual QWidget *fieldFor(const QString &key) const;

private:
    void onResult(const CommandResult &result, const CommandRequest &request);
    void showChangedFirst(
        const CommandRequest &request, std::optional<int> currentVersion, const QString &fallback);

    Session *m_session;
    std::optional<int> m_expectedVersion;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace waybill::app
