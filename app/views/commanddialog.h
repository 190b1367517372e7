// A small form for a command that needs one detail: the truck to assign, who signed for a
// delivery, why a shipment is cancelled, the amount of a payment. Checked as the server checks
// it, sent, and kept open with the reason when it is refused.
#pragma once

#include "client/commandsender.h"

#include <QDialog>
#include <QStringList>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace waybill::app {

class Session;

struct CommandDialogSpec
{
    CommandType type = CommandType::Assign;
    QString entityId;
    QString title;
    QString explanation; // one or two sentences above the field
    QString fieldLabel;
    QString fieldKey; // "truckId", "signedBy", "reason" or "amount"
    QString placeholder;
    QString submitText;
    QStringList suggestions; // offered in a drop-down (trucks)
    QString initialText;
};

class CommandDialog final : public QDialog
{
    Q_OBJECT
public:
    CommandDialog(Session *session, CommandDialogSpec spec, QWidget *parent = nullptr);

    QLineEdit *field() const { return m_edit; }
    QString errorText() const;
    // Checks the field and sends the command (what the submit button does).
    void submit();

Q_SIGNALS:
    void succeeded(const QString &message);

private:
    // The body to send, or empty with the problem for the user.
    std::optional<QJsonObject> body(QString *problem) const;
    QString problemWith(const QString &key) const;
    void showProblem(const QString &problem);
    void onResult(const CommandResult &result, const QString &description);

    Session *m_session;
    CommandDialogSpec m_spec;
    QComboBox *m_combo = nullptr;
    QLineEdit *m_edit = nullptr;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace waybill::app
