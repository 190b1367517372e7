#include "accounttablemodel.h"

#include "domain/ids.h"
#include "presentation/moneytext.h"
#include "presentation/timetext.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

#include <limits>

namespace waybill::app {

AccountTableModel::AccountTableModel(ApiClient *api, QObject *parent)
    : RecordListModel(api, parent)
{ }

bool AccountTableModel::changedBy(const QJsonObject &event) const
{
    const StreamKind kind = streamKind(event.value(QLatin1String("streamId")).toString());
    if (kind == StreamKind::Account)
        return true;
    // A submit, an amend or a cancel changes what the bill-to account is exposed to.
    const QString type = event.value(QLatin1String("type")).toString();
    return kind == StreamKind::Shipment
        && (type == EventType::Submitted || type == EventType::Amended
            || type == EventType::Cancelled);
}

int AccountTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QStringList AccountTableModel::ids() const
{
    QStringList list;
    for (const AccountRow &row : rows())
        list.append(row.state.id);
    return list;
}

QVariant AccountTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AccountRow *row = rowAt(index.row());
    if (!row)
        return {};
    const AccountState &a = row->state;
    switch (role) {
    case IdRole:
        return a.id;
    case BalanceCentsRole:
        return a.balanceCents;
    case VersionRole:
        return a.version;
    case OnHoldRole:
        return a.onHold;
    case LimitUseRole: {
        const std::optional<double> use = row->limitUse();
        return use ? QVariant(*use) : QVariant();
    }
    case PastLimitRole:
        return row->pastLimit();
    case SortRole:
        switch (index.column()) {
        case NameColumn:
            return a.name;
        case BalanceColumn:
            return a.balanceCents;
        case ExposureColumn:
            return row->exposureCents;
        case LimitColumn:
            // No limit sorts above every limit.
            return a.creditLimitCents ? *a.creditLimitCents : std::numeric_limits<Cents>::max();
        case TermsColumn:
            return a.paymentTermsDays;
        case HoldColumn:
            return a.onHold ? 1 : 0;
        case InvoicedColumn:
            return a.invoicedCents;
        case PaidColumn:
            return a.paidCents;
        case InvoiceCountColumn:
            return a.invoiceCount;
        case PaymentCountColumn:
            return a.paymentCount;
        case LastActivityColumn:
            return a.lastEventTimestamp;
        default:
            return a.id;
        }
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case IdColumn:
        case NameColumn:
        case HoldColumn:
        case LastActivityColumn:
            return {};
        default:
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        }
    case Qt::ForegroundRole:
        // An account that owes money reads in red, one in credit in green.
        if (index.column() == BalanceColumn) {
            if (a.balanceCents < 0)
                return QBrush(QColor(0xB0, 0x00, 0x20));
            if (a.balanceCents > 0)
                return QBrush(QColor(0x1B, 0x6E, 0x20));
        }
        if (index.column() == HoldColumn && a.onHold)
            return QBrush(QColor(0xB0, 0x00, 0x20));
        if (index.column() == IdColumn && !a.registered)
            return QBrush(QColor(0x70, 0x70, 0x70));
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case IdColumn:
            return a.registered ? QVariant()
                                : tr("Never opened: known only from shipments and payments");
        case BalanceColumn:
            return a.balanceCents < 0 ? tr("The account owes this amount")
                                      : tr("Payments exceed invoices by this amount");
        case ExposureColumn:
            return a.creditLimitCents ? tr("Owed plus shipments not yet invoiced: %1 of a %2 limit")
                                            .arg(MoneyText::display(row->exposureCents),
                                                MoneyText::display(*a.creditLimitCents))
                                      : tr("Owed plus shipments not yet invoiced: %1 (no limit)")
                                            .arg(MoneyText::display(row->exposureCents));
        case HoldColumn:
            return a.onHold ? tr("On hold: %1").arg(a.holdReason) : QVariant();
        default:
            return {};
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn:
            return a.id;
        case NameColumn:
            return a.name;
        case BalanceColumn:
            return MoneyText::display(a.balanceCents);
        case ExposureColumn:
            return MoneyText::display(row->exposureCents);
        case LimitColumn:
            return a.creditLimitCents ? MoneyText::display(*a.creditLimitCents) : tr("No limit");
        case TermsColumn:
            return tr("%n day(s)", nullptr, a.paymentTermsDays);
        case HoldColumn:
            return a.onHold ? tr("On hold: %1").arg(a.holdReason) : QString();
        case InvoicedColumn:
            return MoneyText::display(a.invoicedCents);
        case PaidColumn:
            return MoneyText::display(a.paidCents);
        case InvoiceCountColumn:
            return a.invoiceCount;
        case PaymentCountColumn:
            return a.paymentCount;
        case LastActivityColumn:
            return TimeText::display(a.lastEventTimestamp);
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
        return RecordListModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Account");
    case NameColumn:
        return tr("Name");
    case BalanceColumn:
        return tr("Balance");
    case ExposureColumn:
        return tr("Exposure");
    case LimitColumn:
        return tr("Credit limit");
    case TermsColumn:
        return tr("Terms");
    case HoldColumn:
        return tr("Hold");
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
