// What a reducer answers to a command: the events to record, or why it is refused.
#pragma once

#include "event.h"
#include "refusals.h"

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
    // A reducer's refusal: one of the reasons of refusals.h, never words of its own, so that
    // every reason a reducer gives can be said in the user's language.
    static Decision reject(Refusal why, const QStringList &arguments = {})
    {
        return reject(refusalText(why, arguments));
    }
};

} // namespace waybill
