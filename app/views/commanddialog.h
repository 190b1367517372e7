// A small form for a command that needs a detail or two: the truck to assign, who signed for a
// delivery, why a shipment is cancelled or an account held, the amount and reason of a payment
// or a credit. Checked as the server checks it, sent with the version the user saw (If-Match),
// and kept open with the reason when it is refused, or with what changed when someone else
// changed the record first.
#pragma once

#include "client/commandsender.h"

#include <QDialog>
#include <QHash>
#include <QStringList>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace waybill::app {

class Session;

struct CommandField
{
    CommandField() = default;
    CommandField(QString key, QString label, QString placeholder = {})
        : key(std::move(key))
        , label(std::move(label))
        , placeholder(std::move(placeholder))
    { }

    QString key; // "truckId", "signedBy", "reason", "amount", "shipmentId", "capacityPounds"...
    QString label;
    QString placeholder;
    QStringList suggestions; // offered in a drop-down (trucks)
    QString initialText;
    bool optional = false; // sent only when filled in
};

struct CommandDialogSpec
{
    CommandType type = CommandType::Assign;
    QString entityId;
    QString title;
    QString explanation; // one or two sentences above the fields
    QVector<CommandField> fields;
    QJsonObject fixedBody; // sent as it is (the payment a reversal names)
    QString submitText;
    std::optional<int> expectedVersion; // If-Match: the version the user saw
};

class CommandDialog final : public QDialog
{
    Q_OBJECT
public:
    CommandDialog(Session *session, CommandDialogSpec spec, QWidget *parent = nullptr);

    // The first field, or the one of that key.
    QLineEdit *field(const QString &key = {}) const;
    QString errorText() const;
    std::optional<int> expectedVersion() const { return m_spec.expectedVersion; }
    // Checks the fields and sends the command (what the submit button does).
    void submit();

Q_SIGNALS:
    void succeeded(const QString &message);

private:
    // The body to send, or empty with the problem for the user.
    std::optional<QJsonObject> body(QString *problem, QString *problemKey) const;
    QString problemWith(const QString &key) const;
    void showProblem(const QString &problem, const QString &key = {});
    void onResult(const CommandResult &result, const QString &description);
    void showChangedFirst(std::optional<int> currentVersion, const QString &fallback);

    Session *m_session;
    CommandDialogSpec m_spec;
    QHash<QString, QLineEdit *> m_edits;
    QLineEdit *m_first = nullptr;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace waybill::app
