#include "statementmodel.h"

#include "client/apiclient.h"
#include "domain/ids.h"
#include "presentation/eventdescription.h"
#include "presentation/moneytext.h"
#include "presentation/timetext.h"

#include <algorithm>

namespace waybill::app {

namespace {
const QLatin1String kBalanceAfter("balanceAfterCents"); // added here: the running balance

QJsonObject dataOf(const QJsonObject &row)
{
    return row.value(QLatin1String("data")).toObject();
}

// Payments add to the balance, invoices take from it (api.md, "Events").
Cents signedAmount(const QJsonObject &row)
{
    const Cents amount
        = static_cast<Cents>(dataOf(row).value(QLatin1String("amountCents")).toDouble());
    return row.value(QLatin1String("type")).toString() == QLatin1String("invoiced") ? -amount
                                                                                    : amount;
}
} // namespace

StatementModel::StatementModel(ApiClient *api, QObject *parent)
    : JsonListModel(api, parent)
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

QString StatementModel::keyOf(const QJsonObject &row) const
{
    return QString::number(row.value(QLatin1String("version")).toInt());
}

QVector<QJsonObject> StatementModel::prepare(QVector<QJsonObject> rows) const
{
    std::sort(rows.begin(), rows.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QLatin1String("version")).toInt()
            < b.value(QLatin1String("version")).toInt();
    });
    Cents balance = 0;
    for (QJsonObject &row : rows) {
        balance += signedAmount(row);
        row.insert(kBalanceAfter, static_cast<double>(balance));
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
    const QJsonObject row = rowAt(index.row());
    const QString type = row.value(QLatin1String("type")).toString();
    const Cents balanceAfter = static_cast<Cents>(row.value(kBalanceAfter).toDouble());
    switch (role) {
    case EventTypeRole:
        return type;
    case AmountCentsRole:
        return signedAmount(row);
    case SortRole:
        switch (index.column()) {
        case AmountColumn:
            return signedAmount(row);
        case BalanceColumn:
            return balanceAfter;
        case DateColumn:
            return row.value(QLatin1String("version")).toInt();
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::TextAlignmentRole:
        return index.column() == AmountColumn || index.column() == BalanceColumn
            ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
            : QVariant();
    case Qt::DisplayRole:
        switch (index.column()) {
        case DateColumn:
            return TimeText::display(row.value(QLatin1String("timestamp")).toString());
        case EntryColumn:
            if (type == QLatin1String("invoiced"))
                return tr("Invoice for shipment %1")
                    .arg(dataOf(row).value(QLatin1String("shipmentId")).toString());
            if (type == QLatin1String("paymentReceived"))
                return tr("Payment received");
            return EventDescription::typeName(type);
        case AmountColumn: {
            const Cents amount = signedAmount(row);
            //: A payment on a statement, e.g. "+$100.00"
            return amount >= 0 ? tr("+%1").arg(MoneyText::display(amount))
                               : MoneyText::display(amount);
        }
        case BalanceColumn:
            return MoneyText::display(balanceAfter);
        case UserColumn:
            return row.value(QLatin1String("user")).toString();
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
        return JsonListModel::headerData(section, orientation, role);
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
