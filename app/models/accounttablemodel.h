// Bill-to accounts with their balances (GET /accounts), for Finance.
#pragma once

#include "jsonlistmodel.h"

namespace waybill::app {

class AccountTableModel final : public JsonListModel
{
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        BalanceColumn,
        InvoicedColumn,
        PaidColumn,
        InvoiceCountColumn,
        PaymentCountColumn,
        LastActivityColumn,
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole + 1,
        SortRole, // numbers as numbers, times as ISO text
        BalanceCentsRole
    };

    explicit AccountTableModel(ApiClient *api, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    // Account events.
    bool changedBy(const QJsonObject &event) const override;
    QString path() const override { return QStringLiteral("/accounts"); }
    bool isPaged() const override { return true; }
};

} // namespace waybill::app
