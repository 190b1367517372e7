// Bill-to accounts with their records, balances and exposure (GET /accounts), for Finance.
#pragma once

#include "jsonlistmodel.h"
#include "recordrows.h"

namespace waybill::app {

class AccountTableModel final : public RecordListModel<AccountRow>
{
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        NameColumn,
        BalanceColumn,
        ExposureColumn, // against the credit limit, drawn as a bar
        LimitColumn,
        TermsColumn,
        HoldColumn,
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
        BalanceCentsRole,
        VersionRole,
        OnHoldRole,
        // How much of the credit limit the exposure uses (1.0: all); invalid without a limit.
        LimitUseRole,
        PastLimitRole
    };

    explicit AccountTableModel(ApiClient *api, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The account of that id, or null when it is not in the list.
    const AccountRow *account(const QString &id) const { return rowAt(rowOfKey(id)); }
    QStringList ids() const;

protected:
    // Account events, and shipment events that move an account's exposure.
    bool changedBy(const QJsonObject &event) const override;
    QString path() const override { return QStringLiteral("/accounts"); }
    bool isPaged() const override { return true; }
    AccountRow parse(const QJsonObject &json) const override { return AccountRow::fromJson(json); }
    QString keyOf(const AccountRow &row) const override { return row.state.id; }
};

} // namespace waybill::app
