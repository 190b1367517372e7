// The cost of a shipment before it is submitted: the server's quote when it offers one
// (GET /quote?weightInPounds=), otherwise the standard rate table, said as an estimate.
#pragma once

#include "domain/money.h"

#include <QObject>

#include <functional>

namespace waybill::app {

class ApiClient;

struct Quote
{
    Cents cents = 0;
    bool fromServer = false; // false: the standard rate, an estimate
};

class QuoteService final : public QObject
{
    Q_OBJECT
public:
    explicit QuoteService(ApiClient *api, QObject *parent = nullptr);

    // done runs (asynchronously) unless context is gone by then.
    void quote(double weightInPounds, QObject *context, std::function<void(const Quote &)> done);

private:
    enum class Source { Unknown, Server, RateTable };
    ApiClient *m_api;
    Source m_source = Source::Unknown;
};

} // namespace waybill::app
