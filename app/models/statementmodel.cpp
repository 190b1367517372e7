#include "statementmodel.h"

#include "client/apiclient.h"
#include "domain/ids.h"
#include "presentation/eventdescription.h"
#include "presentation/moneytext.h"
#include "presentation/timetext.h"
#include "recordrows.h"

#include <QSet>

#include <QBrush>
#include <QColor>

#include <algorithm>

namespace waybill::app {

namespace {
// Payments and credits add to the balance; invoices and reversed payments take from it
// (api.md, "Corrections").
Cents signedAmount(const RecordedEvent &e)
{
    const Cents amount = static_cast<Cents>(e.data.value(QLatin1String("amountCents")).toDouble());
    if (e.type == EventType::PaymentReceived || e.type == EventType::Credited)
        return amount;
    if (e.type == EventType::Invoiced || e.type == EventType::PaymentReversed)
        return -amount;
    return 0;
}

bool movesMoney(const RecordedEvent &e)
{
    return e.type == EventType::PaymentReceived || e.type == EventType::Credited
        || e.type == EventType::Invoiced || e.type == EventType::PaymentReversed;
}
} // namespace

StatementModel::StatementModel(ApiClient *api, QObject *parent)
    : RecordListModel(api, parent)
{ }

void StatementModel::setAccount(const QString &accountId)
{
    if (accountId == m_accountId)
        return;
    m_accountId = accountId;
    clear();
    reload();
}

bool StatementModel::changedBy(const QJsonObject &event) const
{
    return !m_accountId.isEmpty()
        && event.value(QLatin1String("streamId")).toString() == accountStreamId(m_accountId);
}

QString StatementModel::path() const
{
    if (m_accountId.isEmpty())
        return {};
    return ApiClient::pathOf({ QStringLiteral("accounts"), m_accountId, QStringLiteral("events") });
}

int StatementModel::accountVersion() const
{
    return rows().isEmpty() ? 0 : rows().constLast().event.version;
}

StatementRow StatementModel::parse(const QJsonObject &json) const
{
    StatementRow row;
    row.event = eventFromJson(json);
    row.signedCents = signedAmount(row.event);
    row.moves = movesMoney(row.event);
    return row;
}

QString StatementModel::keyOf(const StatementRow &row) const
{
    return QString::number(row.event.version);
}

QVector<StatementRow> StatementModel::prepare(QVector<StatementRow> rows) const
{
    std::sort(rows.begin(), rows.end(), [](const StatementRow &a, const StatementRow &b) {
        return a.event.version < b.event.version;
    });
    QSet<QString> reversed;
    for (const StatementRow &row : rows) {
        if (row.event.type == EventType::PaymentReversed)
            reversed.insert(row.event.data.value(QLatin1String("paymentCommandId")).toString());
    }
    Cents balance = 0;
    for (StatementRow &row : rows) {
        balance += row.signedCents;
        row.balanceAfterCents = balance;
        row.reversed = row.event.type == EventType::PaymentReceived
            && reversed.contains(row.event.commandId);
    }
    return rows;
}

int StatementModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StatementModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StatementRow *row = rowAt(index.row());
    if (!row)
        return {};
    const RecordedEvent &e = row->event;
    switch (role) {
    case EventTypeRole:
        return e.type;
    case AmountCentsRole:
        return row->signedCents;
    case CommandIdRole:
        return e.commandId;
    case ReversibleRole:
        return e.type == EventType::PaymentReceived && !row->reversed;
    case SortRole:
        switch (index.column()) {
        case AmountColumn:
            return row->signedCents;
        case BalanceColumn:
            return row->balanceAfterCents;
        case DateColumn:
            return e.version;
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::TextAlignmentRole:
        return index.column() == AmountColumn || index.column() == BalanceColumn
            ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
            : QVariant();
    case Qt::ForegroundRole:
        // A reversed payment and the changes to the record are there to read, not to add up.
        if (row->reversed || !row->moves)
            return QBrush(QColor(0x60, 0x60, 0x60));
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case DateColumn:
            return TimeText::display(e.timestamp);
        case EntryColumn:
            if (e.type == EventType::Invoiced)
                return tr("Invoice for shipment %1")
                    .arg(e.data.value(QLatin1String("shipmentId")).toString());
            if (e.type == EventType::PaymentReceived)
                return row->reversed ? tr("Payment received (reversed later)")
                                     : tr("Payment received");
            return EventDescription::describe(e.type, e.data);
        case AmountColumn: {
            if (!row->moves)
                return QString();
            const Cents amount = row->signedCents;
            //: A payment on a statement, e.g. "+$100.00"
            return amount >= 0 ? tr("+%1").arg(MoneyText::display(amount))
                               : MoneyText::display(amount);
        }
        case BalanceColumn:
            return MoneyText::display(row->balanceAfterCents);
        case UserColumn:
            return e.user;
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant StatementModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return RecordListModel::headerData(section, orientation, role);
    switch (section) {
    case DateColumn:
        return tr("Date");
    case EntryColumn:
        return tr("Entry");
    case AmountColumn:
        return tr("Amount");
    case BalanceColumn:
        return tr("Balance after");
    case UserColumn:
        return tr("By");
    default:
        return {};
    }
}

} // namespace waybill::app
