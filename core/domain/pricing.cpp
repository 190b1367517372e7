#include "pricing.h"

#include "refusals.h"
#include "weight.h"

#include <QJsonObject>

#include <algorithm>

namespace waybill {

namespace {

const QString &anyState()
{
    static const QString any = QStringLiteral("*");
    return any;
}

// Half up, in integers: amount x hundredths of a percent / 10,000.
Cents percentOf(Cents amount, qint64 hundredthsOfPercent)
{
    return (amount * hundredthsOfPercent + 5000) / 10000;
}

} // namespace

QString laneState(const QString &state)
{
    return state.toUpper();
}

Cents Lane::linehaul(double weightInPounds) const
{
    const qint64 hundredthsOfPound = toHundredthsOfPound(weightInPounds);
    const Cents raw = (hundredthsOfPound * centsPerPound + 50) / 100;
    return std::max(raw, minimumCents);
}

int Lane::specificity() const
{
    const bool origin = from != anyState();
    const bool destination = to != anyState();
    return origin && destination ? 2 : origin ? 1 : destination ? 0 : -1;
}

bool Lane::covers(const QString &fromState, const QString &toState) const
{
    return (from == anyState() || from == fromState) && (to == anyState() || to == toState);
}

bool Lane::operator==(const Lane &o) const
{
    return from == o.from && to == o.to && centsPerPound == o.centsPerPound
        && minimumCents == o.minimumCents;
}

bool FuelSurcharge::operator==(const FuelSurcharge &o) const
{
    return from == o.from && hundredthsOfPercent == o.hundredthsOfPercent;
}

bool Charge::operator==(const Charge &o) const
{
    return code == o.code && amountCents == o.amountCents;
}

QJsonArray chargesToJson(const QVector<Charge> &charges)
{
    QJsonArray array;
    for (const Charge &c : charges)
        array.append(QJsonObject { { QStringLiteral("code"), c.code },
            { QStringLiteral("amountCents"), static_cast<double>(c.amountCents) } });
    return array;
}

QVector<Charge> chargesFromJson(const QJsonValue &value)
{
    QVector<Charge> charges;
    for (const QJsonValue &item : value.toArray()) {
        const QJsonObject o = item.toObject();
        charges.append({ o.value(QLatin1String("code")).toString(),
            static_cast<Cents>(o.value(QLatin1String("amountCents")).toDouble()) });
    }
    return charges;
}

QStringList accessorialsFromJson(const QJsonValue &value)
{
    QStringList codes;
    for (const QJsonValue &item : value.toArray())
        codes.append(item.toString());
    return codes;
}

RateTable::RateTable()
    : version(defaultVersion())
    , lanes { Lane {} }
{ }

RateTable RateTable::flat(Cents centsPerPound, Cents minimumCents)
{
    RateTable table;
    table.lanes.first().centsPerPound = centsPerPound;
    table.lanes.first().minimumCents = minimumCents;
    return table;
}

QString RateTable::defaultVersion()
{
    return QStringLiteral("default");
}

const Lane &RateTable::laneFor(const QString &fromState, const QString &toState) const
{
    static const Lane fallback;
    const QString from = laneState(fromState);
    const QString to = laneState(toState);
    const Lane *best = nullptr;
    for (const Lane &lane : lanes) {
        if (lane.covers(from, to) && (!best || lane.specificity() > best->specificity()))
            best = &lane;
    }
    return best ? *best : fallback;
}

qint64 RateTable::fuelSurchargeAt(const QDateTime &at) const
{
    const QDate day = at.toUTC().date();
    qint64 percent = 0;
    for (const FuelSurcharge &s : fuelSurcharges) {
        if (s.from > day)
            break;
        percent = s.hundredthsOfPercent;
    }
    return percent;
}

std::optional<Cents> RateTable::accessorialCents(const QString &code) const
{
    for (const auto &[name, cents] : accessorials) {
        if (name == code)
            return cents;
    }
    return std::nullopt;
}

QStringList RateTable::accessorialCodes() const
{
    QStringList codes;
    for (const auto &entry : accessorials)
        codes.append(entry.first);
    return codes;
}

PriceQuote RateTable::quote(const QString &fromState, const QString &toState, double weightInPounds,
    const QStringList &asked, const QDateTime &at) const
{
    PriceQuote q;
    q.rateTableVersion = version;
    const Cents linehaul = laneFor(fromState, toState).linehaul(weightInPounds);
    q.charges.append({ QStringLiteral("linehaul"), linehaul });
    if (const qint64 percent = fuelSurchargeAt(at); percent > 0)
        q.charges.append({ QStringLiteral("fuel"), percentOf(linehaul, percent) });
    for (const QString &code : asked) {
        const std::optional<Cents> cents = accessorialCents(code);
        if (!cents) {
            q.error = refusalText(Refusal::AccessorialNotInRateTable, { version, code });
            return q;
        }
        q.charges.append({ code, *cents });
    }
    for (const Charge &c : q.charges)
        q.totalCents += c.amountCents;
    return q;
}

bool RateTable::operator==(const RateTable &o) const
{
    return version == o.version && lanes == o.lanes && fuelSurcharges == o.fuelSurcharges
        && accessorials == o.accessorials;
}

} // namespace waybill
