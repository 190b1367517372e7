// One account's statement: its invoices, payments, reversals and credits in order, with the
// balance after each, and the changes to its record (GET /accounts/{id}/events).
#pragma once

#include "domain/event.h"
#include "domain/money.h"
#include "jsonlistmodel.h"

namespace waybill::app {

struct StatementRow
{
    RecordedEvent event;
    Cents signedCents = 0; // what it adds to the balance (invoices and reversals take away)
    Cents balanceAfterCents = 0;
    bool moves = false; // whether it moves money at all (a hold does not)
    bool reversed = false; // a payment reversed by a later entry
};

class StatementModel final : public RecordListModel<StatementRow>
{
    Q_OBJECT
public:
    enum Column { DateColumn, EntryColumn, AmountColumn, BalanceColumn, UserColumn, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1,
        AmountCentsRole,
        EventTypeRole,
        CommandIdRole, // the command that recorded the entry (a reversal names a payment by it)
        ReversibleRole // a payment not reversed yet
    };

    explicit StatementModel(ApiClient *api, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setAccount(const QString &accountId);
    QString account() const { return m_accountId; }
    // The account's version as this statement last read it (its last event's), 0 before.
    int accountVersion() const;

protected:
    // Events on the account shown.
    bool changedBy(const QJsonObject &event) const override;
    QString path() const override;
    StatementRow parse(const QJsonObject &json) const override;
    QString keyOf(const StatementRow &row) const override;
    QVector<StatementRow> prepare(QVector<StatementRow> rows) const override;
    // A stream's events come in pages of at most 1000 (docs/choices.md).
    bool isPaged() const override { return true; }

private:
    QString m_accountId;
};

} // namespace waybill::app
