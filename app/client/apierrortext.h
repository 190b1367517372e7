// Turns a failed request into a sentence a clerk can act on: what went wrong and what to do.
#pragma once

#include <QCoreApplication>
#include <QNetworkReply>
#include <QString>
#include <QUrl>

namespace waybill::app {

struct ApiResult;

class ApiErrorText final
{
    Q_DECLARE_TR_FUNCTIONS(ApiErrorText)
public:
    // Empty when the result is a success.
    static QString describe(
        const ApiResult &result, QNetworkReply::NetworkError networkError, const QUrl &server);
    // For a network failure alone (no HTTP answer).
    static QString networkFailure(QNetworkReply::NetworkError error, const QUrl &server);
    // For an HTTP error status, with the server's own explanation when it gave one.
    static QString httpFailure(const ApiResult &result);
};

} // namespace waybill::app
