#include "revenuereport.h"

#include "ids.h"
#include "timeformat.h"

#include <QJsonArray>

#include <algorithm>

namespace waybill {

RevenueReport::RevenueReport(const ReportPeriod &period)
    : m_period(period)
{
    for (const QDateTime &monday : period.weeks())
        m_weeks[monday];
}

void RevenueReport::apply(const RecordedEvent &event)
{
    if (streamKind(event.streamId) != StreamKind::Account || !m_period.counts(event.timestamp))
        return;
    const Cents cents
        = static_cast<Cents>(event.data.value(QStringLiteral("amountCents")).toDouble());
    Figures figures;
    if (event.type == EventType::Invoiced) {
        figures.invoices = 1;
        figures.invoicedCents = cents;
    } else if (event.type == EventType::Credited) {
        figures.creditedCents = cents;
    } else {
        return;
    }
    m_weeks[weekStartOf(event.timestamp)].add(figures);
    m_accounts[entityIdOfStream(event.streamId)].add(figures);
}

void RevenueReport::Figures::add(const Figures &other)
{
    invoices += other.invoices;
    invoicedCents += other.invoicedCents;
    creditedCents += other.creditedCents;
}

QJsonObject RevenueReport::Figures::toJson() const
{
    const Cents net = invoicedCents - creditedCents;
    return { { QStringLiteral("invoices"), invoices },
        { QStringLiteral("invoicedCents"), invoicedCents },
        { QStringLiteral("invoiced"), centsToDollarsJson(invoicedCents) },
        { QStringLiteral("creditedCents"), creditedCents },
        { QStringLiteral("credited"), centsToDollarsJson(creditedCents) },
        { QStringLiteral("netCents"), net }, { QStringLiteral("net"), centsToDollarsJson(net) } };
}

QJsonObject RevenueReport::toJson() const
{
    QJsonArray weeks;
    Figures total;
    for (const auto &[monday, figures] : m_weeks) {
        QJsonObject week = figures.toJson();
        week.insert(QStringLiteral("weekStart"), toIsoUtc(monday));
        weeks.append(week);
        total.add(figures);
    }
    std::vector<std::pair<QString, Figures>> ranked(m_accounts.begin(), m_accounts.end());
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) {
        return a.second.invoicedCents - a.second.creditedCents
            > b.second.invoicedCents - b.second.creditedCents;
    });
    QJsonArray accounts;
    for (const auto &[id, figures] : ranked) {
        QJsonObject account = figures.toJson();
        account.insert(QStringLiteral("accountId"), id);
        accounts.append(account);
    }
    QJsonObject json = m_period.toJson();
    json.insert(QStringLiteral("weeks"), weeks);
    json.insert(QStringLiteral("accounts"), accounts);
    json.insert(QStringLiteral("total"), total.toJson());
    return json;
}

} // namespace waybill
