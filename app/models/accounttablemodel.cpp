#include "accounttablemodel.h"

#include "domain/ids.h"
#include "presentation/moneytext.h"
#include "presentation/timetext.h"

#include <QBrush>
#include <QColor>

namespace waybill::app {

namespace {
Cents cents(const QJsonObject &row, const char *key)
{
    return static_cast<Cents>(row.value(QLatin1String(key)).toDouble());
}
} // namespace

AccountTableModel::AccountTableModel(ApiClient *api, QObject *parent)
    : JsonListModel(api, parent)
{ }

bool AccountTableModel::changedBy(const QJsonObject &event) const
{
    return streamKind(event.value(QLatin1String("streamId")).toString()) == StreamKind::Account;
}

int AccountTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AccountTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject row = rowAt(index.row());
    switch (role) {
    case IdRole:
        return row.value(QLatin1String("id")).toString();
    case BalanceCentsRole:
        return cents(row, "balanceCents");
    case SortRole:
        switch (index.column()) {
        case BalanceColumn:
            return cents(row, "balanceCents");
        case InvoicedColumn:
            return cents(row, "invoicedCents");
        case PaidColumn:
            return cents(row, "paidCents");
        case InvoiceCountColumn:
            return row.value(QLatin1String("invoiceCount")).toInt();
        case PaymentCountColumn:
            return row.value(QLatin1String("paymentCount")).toInt();
        case LastActivityColumn:
            return row.value(QLatin1String("lastEventTimestamp")).toString();
        default:
            return row.value(QLatin1String("id")).toString();
        }
    case Qt::TextAlignmentRole:
        return index.column() == IdColumn || index.column() == LastActivityColumn
            ? QVariant()
            : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        // An account that owes money reads in red, one in credit in green.
        if (index.column() == BalanceColumn) {
            const Cents balance = cents(row, "balanceCents");
            if (balance < 0)
                return QBrush(QColor(0xB0, 0x00, 0x20));
            if (balance > 0)
                return QBrush(QColor(0x1B, 0x6E, 0x20));
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == BalanceColumn)
            return cents(row, "balanceCents") < 0 ? tr("The account owes this amount")
                                                  : tr("Payments exceed invoices by this amount");
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn:
            return row.value(QLatin1String("id")).toString();
        case BalanceColumn:
            return MoneyText::display(cents(row, "balanceCents"));
        case InvoicedColumn:
            return MoneyText::display(cents(row, "invoicedCents"));
        case PaidColumn:
            return MoneyText::display(cents(row, "paidCents"));
        case InvoiceCountColumn:
            return row.value(QLatin1String("invoiceCount")).toInt();
        case PaymentCountColumn:
            return row.value(QLatin1String("paymentCount")).toInt();
        case LastActivityColumn:
            return TimeText::display(row.value(QLatin1String("lastEventTimestamp")).toString());
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant AccountTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return JsonListModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Account");
    case BalanceColumn:
        return tr("Balance");
    case InvoicedColumn:
        return tr("Invoiced");
    case PaidColumn:
        return tr("Paid");
    case InvoiceCountColumn:
        return tr("Invoices");
    case PaymentCountColumn:
        return tr("Payments");
    case LastActivityColumn:
        return tr("Last activity");
    default:
        return {};
    }
}

} // namespace waybill::app
