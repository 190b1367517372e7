// The chart of each report of the Reports window, drawn from its table (ReportTable) with Qt
// Charts: bars for money and utilisation, a line for the on-time rate.
#pragma once

#include "models/reporttable.h"

#include <QCoreApplication>

class QChart;

namespace waybill::app {

enum class ReportKind { RevenueByWeek, RevenueByAccount, OnTime, Utilisation, Aging };

class ReportChart final
{
    Q_DECLARE_TR_FUNCTIONS(ReportChart)
public:
    // A new chart (the caller owns it) of that report's table.
    static QChart *make(ReportKind kind, const ReportTable &table);
};

} // namespace waybill::app
