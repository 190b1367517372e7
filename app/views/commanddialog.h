// A small form for a command that needs a detail or two: the truck to assign, who signed for a
// delivery, why a shipment is cancelled or an account held, the amount and reason of a payment
// or a credit. Checked as the server checks it, sent with the version the user saw (If-Match),
// and kept open with the reason when it is refused, or with what changed when someone else
// changed the record first.
#pragma once

#include "commandform.h"

#include <QHash>
#include <QStringList>

class QLineEdit;

namespace waybill::app {

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

class CommandDialog final : public CommandForm
{
    Q_OBJECT
public:
    CommandDialog(Session *session, CommandDialogSpec spec, QWidget *parent = nullptr);

    // The first field, or the one of that key.
    QLineEdit *field(const QString &key = {}) const;
    void submit() override;

private:
    // The body to send, or empty with the problem for the user.
    std::optional<QJsonObject> body(QString *problem, QString *problemKey) const;
    QString problemWith(const QString &key) const;
    QWidget *fieldFor(const QString &key) const override;

    CommandDialogSpec m_spec;
    QHash<QString, QLineEdit *> m_edits;
    QLineEdit *m_first = nullptr;
};

} // namespace waybill::app
