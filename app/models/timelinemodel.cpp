#include "timelinemodel.h"

#include "client/apiclient.h"
#include "domain/ids.h"
#include "presentation/eventdescription.h"
#include "presentation/timetext.h"

namespace waybill::app {

TimelineModel::TimelineModel(ApiClient *api, QObject *parent)
    : JsonListModel(api, parent)
{ }

void TimelineModel::setShipment(const QString &shipmentId)
{
    if (shipmentId == m_shipmentId)
        return;
    m_shipmentId = shipmentId;
    clear();
    reload();
}

bool TimelineModel::changedBy(const QJsonObject &event) const
{
    return !m_shipmentId.isEmpty()
        && event.value(QLatin1String("streamId")).toString() == shipmentStreamId(m_shipmentId);
}

QString TimelineModel::path() const
{
    if (m_shipmentId.isEmpty())
        return {};
    return ApiClient::pathOf(
        { QStringLiteral("shipments"), m_shipmentId, QStringLiteral("events") });
}

QString TimelineModel::keyOf(const QJsonObject &row) const
{
    return QString::number(row.value(QLatin1String("version")).toInt());
}

int TimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject row = rowAt(index.row());
    const QString type = row.value(QLatin1String("type")).toString();
    switch (role) {
    case TimestampRole:
        return row.value(QLatin1String("timestamp")).toString();
    case EventTypeRole:
        return type;
    case VersionRole:
        return row.value(QLatin1String("version")).toInt();
    case Qt::ToolTipRole:
        return tr("Event %1 of the history, recorded %2 (command %3)")
            .arg(row.value(QLatin1String("version")).toInt())
            .arg(row.value(QLatin1String("timestamp")).toString(),
                row.value(QLatin1String("commandId")).toString());
    case Qt::DisplayRole:
        switch (index.column()) {
        case WhenColumn:
            return TimeText::display(row.value(QLatin1String("timestamp")).toString());
        case WhatColumn:
            return EventDescription::describe(type, row.value(QLatin1String("data")).toObject());
        case WhoColumn:
            return row.value(QLatin1String("user")).toString();
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return JsonListModel::headerData(section, orientation, role);
    switch (section) {
    case WhenColumn:
        return tr("When");
    case WhatColumn:
        return tr("What");
    case WhoColumn:
        return tr("Who");
    default:
        return {};
    }
}

} // namespace waybill::app
