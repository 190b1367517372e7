#include "timelinemodel.h"

#include "client/apiclient.h"
#include "domain/ids.h"
#include "domain/timeformat.h"
#include "presentation/eventdescription.h"
#include "presentation/timetext.h"
#include "recordrows.h"

namespace waybill::app {

TimelineModel::TimelineModel(ApiClient *api, QObject *parent)
    : RecordListModel(api, parent)
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

RecordedEvent TimelineModel::parse(const QJsonObject &json) const
{
    return eventFromJson(json);
}

QString TimelineModel::keyOf(const RecordedEvent &row) const
{
    return QString::number(row.version);
}

int TimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RecordedEvent *e = rowAt(index.row());
    if (!e)
        return {};
    switch (role) {
    case TimestampRole:
        return toIsoUtc(e->timestamp);
    case EventTypeRole:
        return e->type;
    case VersionRole:
        return e->version;
    case Qt::ToolTipRole:
        return tr("Event %1 of the history, recorded %2 (command %3)")
            .arg(e->version)
            .arg(toIsoUtc(e->timestamp), e->commandId);
    case Qt::DisplayRole:
        switch (index.column()) {
        case WhenColumn:
            return TimeText::display(e->timestamp);
        case WhatColumn:
            return EventDescription::describe(e->type, e->data);
        case WhoColumn:
            return e->user;
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
        return RecordListModel::headerData(section, orientation, role);
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
