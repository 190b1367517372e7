// What a reducer answers to a command: the events to record, or why it is refused.
#pragma once

#include "event.h"

#include <QString>
#include <QVector>

namespace waybill {

struct Decision
{
    QVector<NewEvent> events;
    QString rejection; // empty when accepted

    bool isRejected() const { return !rejection.isEmpty(); }
    static Decision accept(QVector<NewEvent> events) { return Decision { std::move(events), {} }; }
    static Decision reject(QString why) { return Decision { {}, std::move(why) }; }
};

} // namespace waybill
