// Revenue for finance: what was invoiced, less what was credited, by the UTC week and by the
// account it was recorded on (docs/choices.md, "Reports").
#pragma once

#include "event.h"
#include "money.h"
#include "reportperiod.h"

#include <QJsonObject>

#include <map>

namespace waybill {

class RevenueReport final
{
public:
    explicit RevenueReport(const ReportPeriod &period);

    // Takes an invoiced or credited event of an account; ignores any other, and any the period
    // does not count.
    void apply(const RecordedEvent &event);
    // {"asOf", "from", "to", "weeks": [{"weekStart", figures}], "accounts": [{"accountId",
    // figures}], "total": {figures}}; figures are "invoices", "invoicedCents", "creditedCents",
    // "netCents", each money also in dollars. Every week of the period is listed; accounts with
    // something in the period, by net revenue, highest first (ties by id).
    QJsonObject toJson() const;

private:
    struct Figures
    {
        qint64 invoices = 0;
        Cents invoicedCents = 0;
        Cents creditedCents = 0;

        void add(const Figures &other);
        QJsonObject toJson() const;
    };

    ReportPeriod m_period;
    std::map<QDateTime, Figures> m_weeks;
    std::map<QString, Figures> m_accounts;
};

} // namespace waybill
