// The rate table that prices a shipment: lanes by origin and destination state, a fuel surcharge
// by effective date, flat accessorial charges; and the priced breakdown it gives (api.md, "Cost
// of a shipment").
#pragma once

#include "money.h"

#include <QDate>
#include <QDateTime>
#include <QJsonArray>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace waybill {

// A state as lanes name it and compare it: "tx", "Tx" and "TX" are one state, TX.
QString laneState(const QString &state);

// A state pair and its price. "*" stands for any state.
struct Lane
{
    QString from = QStringLiteral("*");
    QString to = QStringLiteral("*");
    Cents centsPerPound = 28; // the reference implementation's rate
    Cents minimumCents = 0; // minimum linehaul per shipment

    // Weight is a JSON number; it is taken to the hundredth of a pound and priced in integers,
    // rounding half up to the cent, then raised to the minimum.
    Cents linehaul(double weightInPounds) const;
    // 2: both states named; 1: the origin alone; 0: the destination alone; -1: "*->*".
    int specificity() const;
    bool covers(const QString &fromState, const QString &toState) const;
    bool operator==(const Lane &other) const;
};

struct FuelSurcharge
{
    QDate from; // in effect from 00:00 UTC of this day until the next entry's day
    qint64 hundredthsOfPercent = 0; // 12.5 % -> 1250

    bool operator==(const FuelSurcharge &other) const;
};

struct Charge
{
    QString code; // "linehaul", "fuel", or an accessorial's code
    Cents amountCents = 0;

    bool operator==(const Charge &other) const;
};

// [{"code", "amountCents"}], as the events and POST /quotes carry a breakdown.
QJsonArray chargesToJson(const QVector<Charge> &charges);
QVector<Charge> chargesFromJson(const QJsonValue &value);
// ["liftgate", ...] as a command or an event carries them.
QStringList accessorialsFromJson(const QJsonValue &value);

struct PriceQuote
{
    QVector<Charge> charges; // linehaul, fuel when in effect, then the accessorials as asked
    Cents totalCents = 0;
    QString rateTableVersion;
    QString error; // not empty: the table could not price it (an accessorial it does not know)

    bool ok() const { return error.isEmpty(); }
};

class RateTable final
{
public:
    // The single lane "*->*" at 28 cents per pound, no minimum, no surcharge, no accessorials.
    RateTable();
    // The single lane "*->*" at this rate and minimum (the config file's [rates] section).
    static RateTable flat(Cents centsPerPound, Cents minimumCents);

    // The version recorded with prices from a table that no file named.
    static QString defaultVersion();

    QString version;
    QVector<Lane> lanes; // always holds "*->*" (every shipment has a lane)
    QVector<FuelSurcharge> fuelSurcharges; // by day, ascending
    QVector<QPair<QString, Cents>> accessorials; // code -> flat cents, in the file's order

    // The most specific lane for the pair (states in any case); the origin named beats the
    // destination named.
    const Lane &laneFor(const QString &fromState, const QString &toState) const;
    // The percent in effect at that instant (UTC day), in hundredths; 0 when none is.
    qint64 fuelSurchargeAt(const QDateTime &at) const;
    std::optional<Cents> accessorialCents(const QString &code) const;
    QStringList accessorialCodes() const;

    // The breakdown for a shipment (states in any case); `at` is when the command was accepted.
    PriceQuote quote(const QString &fromState, const QString &toState, double weightInPounds,
        const QStringList &accessorials, const QDateTime &at) const;

    bool operator==(const RateTable &other) const;
    bool operator!=(const RateTable &other) const { return !(*this == other); }
};

} // namespace waybill
