#include "financeroutes.h"

#include "domain/timeformat.h"
#include "store/accountledger.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace waybill::api {

namespace {

// Messages in the context "waybill::api", as the other routes' (see queryroutes.cpp).
struct FinanceText
{
    Q_DECLARE_TR_FUNCTIONS(waybill::api)
};

} // namespace

void listAccountInvoices(ApiContext &context, const ApiRequest &request)
{
    const QString id = request.params.value(0);
    if (!isValidId(id)) {
        sendValidationErrors(request.reply, { pathIdError(StreamKind::Account) });
        return;
    }
    QueryReader reader(request);
    const std::optional<QDateTime> asOf = reader.time(QStringLiteral("asOf"));
    if (!reader.errors().isEmpty()) {
        sendValidationErrors(request.reply, reader.errors());
        return;
    }
    Database &database = context.database;
    context.workers.run(
        [&database, id, asOf]() -> std::optional<QJsonArray> {
            const auto items = AccountLedger::openItems(database, id, asOf);
            if (!items)
                return std::nullopt;
            QJsonArray invoices;
            for (const OpenInvoice &invoice : items->invoices())
                invoices.append(invoice.toJson());
            return invoices;
        },
        [reply = request.reply, asOf](const WorkResult<std::optional<QJsonArray>> &result) {
            if (!result.value) {
                sendDatabaseError(reply, result.error);
                return;
            }
            if (!*result.value) {
                reply->sendError(404,
                    asOf ? FinanceText::tr("No such account at that time")
                         : FinanceText::tr("No such account"));
                return;
            }
            reply->sendJson(200, **result.value);
        });
}

void agingReport(ApiContext &context, const ApiRequest &request)
{
    QueryReader reader(request);
    const std::optional<QDateTime> given = reader.time(QStringLiteral("asOf"));
    if (!reader.errors().isEmpty()) {
        sendValidationErrors(request.reply, reader.errors());
        return;
    }
    const QDateTime asOf = given ? *given : QDateTime::currentDateTimeUtc();
    Database &database = context.database;
    context.workers.run(
        [&database, asOf] {
            QJsonArray accounts;
            AgingLine total;
            for (const auto &[accountId, items] : AccountLedger::allOpenItems(database, asOf)) {
                const AgingLine line = agingOf(accountId, items, asOf);
                if (line.isEmpty())
                    continue;
                accounts.append(line.toJson());
                total.add(line);
            }
            return QJsonObject { { QStringLiteral("asOf"), toIsoUtc(asOf) },
                { QStringLiteral("accounts"), accounts },
                { QStringLiteral("total"), total.toJson() } };
        },
        [reply = request.reply](const WorkResult<QJsonObject> &result) {
            if (!result.value) {
                sendDatabaseError(reply, result.error);
                return;
            }
            reply->sendJson(200, *result.value);
        });
}

} // namespace waybill::api
