// One account's statement: its invoices and payments in order, with the balance after each
// (GET /accounts/{id}/events).
#pragma once

#include "jsonlistmodel.h"

namespace waybill::app {

class StatementModel final : public JsonListModel
{
    Q_OBJECT
public:
    enum Column { DateColumn, EntryColumn, AmountColumn, BalanceColumn, UserColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, AmountCentsRole, EventTypeRole };

    explicit StatementModel(ApiClient *api, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setAccount(const QString &accountId);
    QString account() const { return m_accountId; }

protected:
    // Events on the account shown.
    bool changedBy(const QJsonObject &event) const override;
    QString path() const override;
    // A stream's events come in pages of at most 1000 (docs/choices.md).
    bool isPaged() const override { return true; }
    QString keyOf(const QJsonObject &row) const override;
    QVector<QJsonObject> prepare(QVector<QJsonObject> rows) const override;

private:
    QString m_accountId;
};

} // namespace waybill::app
