// One shipment's history as a timeline: what happened, when, and who did it
// (GET /shipments/{id}/events).
#pragma once

#include "domain/event.h"
#include "jsonlistmodel.h"

namespace waybill::app {

class TimelineModel final : public RecordListModel<RecordedEvent>
{
    Q_OBJECT
public:
    enum Column { WhenColumn, WhatColumn, WhoColumn, ColumnCount };
    enum Role { TimestampRole = Qt::UserRole + 1, EventTypeRole, VersionRole };

    explicit TimelineModel(ApiClient *api, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setShipment(const QString &shipmentId);
    QString shipment() const { return m_shipmentId; }

protected:
    // Events on the shipment shown.
    bool changedBy(const QJsonObject &event) const override;
    QString path() const override;
    RecordedEvent parse(const QJsonObject &json) const override;
    QString keyOf(const RecordedEvent &row) const override;
    // A stream's events come in pages of at most 1000 (docs/choices.md).
    bool isPaged() const override { return true; }

private:
    QString m_shipmentId;
};

} // namespace waybill::app
