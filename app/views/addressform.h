// The fields of one postal address, each with its own line for what is wrong with it.
#pragma once

#include "domain/address.h"

#include <QGroupBox>
#include <QHash>
#include <QJsonObject>

class QLabel;
class QLineEdit;

namespace waybill::app {

class AddressForm final : public QGroupBox
{
    Q_OBJECT
public:
    // The keys of the contract's address, in form order.
    static QStringList keys();

    AddressForm(const QString &title, const QString &objectName, QWidget *parent = nullptr);

    QJsonObject toJson() const;
    void setAddress(const Address &address);
    QLineEdit *field(const QString &key) const { return m_edits.value(key); }
    // Shows the problem under the field (empty: none).
    void setProblem(const QString &key, const QString &problem);
    QString problem(const QString &key) const;
    QWidget *firstField() const;
    QWidget *lastField() const;

Q_SIGNALS:
    void edited(const QString &key);
    void left(const QString &key); // editing of the field finished

private:
    QHash<QString, QLineEdit *> m_edits;
    QHash<QString, QLabel *> m_problems;
};

} // namespace waybill::app
