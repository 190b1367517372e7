// The cost of a shipment before it is submitted or amended: the server's quote (POST /quotes,
// with its breakdown) when it offers one, otherwise the standard rate table, said as an estimate.
#pragma once

#include "domain/pricing.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QObject>

#include <functional>

namespace waybill::app {

class ApiClient;

struct Quote
{
    Cents cents = 0;
    QVector<Charge> charges;
    QString rateTableVersion;
    bool fromServer = false; // false: the standard rate, an estimate
    QString problem; // not empty: the server refused to price this body (400), in its words

    // "Linehaul $31.24 · Fuel surcharge $3.90 · liftgate $45.00", in the user's locale.
    QString breakdownText() const;
};

class QuoteText final
{
    Q_DECLARE_TR_FUNCTIONS(QuoteText)
public:
    // "Linehaul", "Fuel surcharge", or an accessorial's own code.
    static QString chargeName(const QString &code);
};

class QuoteService final : public QObject
{
    Q_OBJECT
public:
    explicit QuoteService(ApiClient *api, QObject *parent = nullptr);

    // body: a submit's. done runs (asynchronously) unless context is gone by then.
    void quote(const QJsonObject &body, QObject *context, std::function<void(const Quote &)> done);

    // A submit's body that prices like the shipment described, with stand-ins for what a price
    // does not depend on (names, streets, the account), so that a form can be quoted before
    // those are filled in. Empty when the states are not two letters yet.
    static std::optional<QJsonObject> pricingBody(const QString &fromState, const QString &toState,
        double weightInPounds, const QStringList &accessorials);
    // "liftgate, residential" -> {"liftgate", "residential"}.
    static QStringList parseAccessorials(const QString &text);

private:
    enum class Source { Unknown, Server, RateTable };
    ApiClient *m_api;
    Source m_source = Source::Unknown;
};

} // namespace waybill::app
