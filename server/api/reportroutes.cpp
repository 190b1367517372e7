#include "reportroutes.h"

#include "domain/reportperiod.h"
#include "store/reportreader.h"

#include <QCoreApplication>

#include <functional>

namespace waybill::api {

namespace {

// Messages in the context "waybill::api", as the other routes' (see queryroutes.cpp).
struct ReportText
{
    Q_DECLARE_TR_FUNCTIONS(waybill::api)
};

// ?asOf= (default now), ?from= and ?to= (default: the twelve weeks up to the end of asOf's
// week); nothing, with a 400 sent, when one is not a time or the span is empty or too long.
std::optional<ReportPeriod> readPeriod(const ApiRequest &request)
{
    QueryReader reader(request);
    const std::optional<QDateTime> asOf = reader.time(QStringLiteral("asOf"));
    const std::optional<QDateTime> from = reader.time(QStringLiteral("from"));
    const std::optional<QDateTime> to = reader.time(QStringLiteral("to"));
    if (reader.errors().isEmpty()) {
        const ReportPeriod period
            = ReportPeriod::around(asOf.value_or(QDateTime::currentDateTimeUtc()), from, to);
        if (period.to <= period.from)
            reader.fail(QStringLiteral("to"), ReportText::tr("\"to\" must be later than \"from\""));
        else if (period.from.daysTo(period.to) > qint64(ReportPeriod::kMaxWeeks) * 7)
            reader.fail(QStringLiteral("from"),
                ReportText::tr("A report covers at most %1 weeks; ask for a shorter period")
                    .arg(ReportPeriod::kMaxWeeks));
        else
            return period;
    }
    sendValidationErrors(request.reply, reader.errors());
    return std::nullopt;
}

void answerReport(ApiContext &context, const ApiRequest &request,
    QJsonObject (*read)(Database &, const ReportPeriod &))
{
    const std::optional<ReportPeriod> period = readPeriod(request);
    if (!period)
        return;
    Database &database = context.database;
    context.workers.run([&database, read, period = *period] { return read(database, period); },
        [reply = request.reply](const WorkResult<QJsonObject> &result) {
            if (!result.value) {
                sendDatabaseError(reply, result.error);
                return;
            }
            reply->sendJson(200, *result.value);
        });
}

} // namespace

void revenueReport(ApiContext &context, const ApiRequest &request)
{
    answerReport(context, request, &ReportReader::revenue);
}

void onTimeReport(ApiContext &context, const ApiRequest &request)
{
    answerReport(context, request, &ReportReader::onTime);
}

void utilisationReport(ApiContext &context, const ApiRequest &request)
{
    answerReport(context, request, &ReportReader::utilisation);
}

} // namespace waybill::api
