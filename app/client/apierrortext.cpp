#include "apierrortext.h"

#include "apiresult.h"

namespace waybill::app {

QString ApiErrorText::describe(
    const ApiResult &result, QNetworkReply::NetworkError networkError, const QUrl &server)
{
    if (result.ok())
        return {};
    if (result.httpStatus == 0)
        return networkFailure(networkError, server);
    return httpFailure(result);
}

QString ApiErrorText::networkFailure(QNetworkReply::NetworkError error, const QUrl &server)
{
    const QString where
        = server.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery);
    switch (error) {
    case QNetworkReply::OperationCanceledError:
        return tr("The request was cancelled.");
    case QNetworkReply::TimeoutError:
        return tr("The server at %1 did not answer in time. Try again in a moment.").arg(where);
    case QNetworkReply::SslHandshakeFailedError:
        return tr("A secure connection to %1 could not be made: its certificate is neither "
                  "signed by an authority this computer trusts nor one you accepted. Compare its "
                  "fingerprint with your administrator's, or start Waybill with --ca-file.")
            .arg(where);
    case QNetworkReply::HostNotFoundError:
        return tr("The server name in %1 is not known. Check the address you connect to.")
            .arg(where);
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::UnknownNetworkError:
    default:
        return tr("Waybill cannot reach the server at %1. Check that it is running and that this "
                  "computer is connected, then try again.")
            .arg(where);
    }
}

QString ApiErrorText::httpFailure(const ApiResult &result)
{
    const QString message = result.serverMessage();
    switch (result.httpStatus) {
    case 400: {
        QStringList details;
        for (const FieldError &error : result.fieldErrors())
            details.append(error.message);
        if (details.isEmpty() && !message.isEmpty())
            details.append(message);
        return tr("Some details are not valid: %1").arg(details.join(QLatin1String("; ")));
    }
    case 401:
        return tr("The server did not accept your access token. Connect again with a valid token "
                  "(File, Connect to server).");
    case 403:
        return tr("Your role does not allow this. Ask your administrator if you need it.");
    case 404:
        return message.isEmpty() ? tr("Not found: it does not exist, or its id is mistyped.")
                                 : tr("Not found: %1").arg(message);
    case 409:
        return message.isEmpty() ? tr("This cannot be done now: the shipment or account has "
                                      "changed. Look at it again and retry.")
                                 : tr("This cannot be done now: %1").arg(message);
    case 412: {
        const std::optional<int> current = result.currentVersion();
        return current ? tr("Someone else changed this first (it is now at version %1), so your "
                            "change was not made. Look at what changed, then try again.")
                             .arg(*current)
                       : tr("Someone else changed this first, so your change was not made. Look "
                            "at what changed, then try again.");
    }
    case 413:
        return tr("The request is too large for the server.");
    case 422:
        return tr("This repeats an earlier request with different details. Close the form and "
                  "start again.");
    case 429:
    case 503:
        return tr("The server is busy. Try again in a moment.");
    default:
        break;
    }
    if (result.httpStatus >= 500)
        return tr("The server ran into a problem (error %1). Try again; if it keeps happening, "
                  "tell your administrator.")
            .arg(result.httpStatus);
    return tr("The server gave an unexpected answer (error %1).").arg(result.httpStatus);
}

} // namespace waybill::app
