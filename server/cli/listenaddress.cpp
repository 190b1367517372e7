#include "listenaddress.h"

#include <QCoreApplication>

#include <algorithm>

namespace waybill::cli {

std::optional<ListenAddress> parseListenAddress(const QString &text, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<ListenAddress> {
        if (error)
            *error = QCoreApplication::translate("ListenAddress", "bad listen address \"%1\": %2")
                         .arg(text, why);
        return std::nullopt;
    };

    const int colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon < 0)
        return fail(QCoreApplication::translate(
            "ListenAddress", "expected HOST:PORT, e.g. 127.0.0.1:8080"));
    QString host = text.left(colon);
    const QString portText = text.mid(colon + 1);

    bool portOk = false;
    const uint port = portText.toUInt(&portOk);
    // toUInt accepts "+80" and " 80"; a port is digits only.
    const bool digitsOnly = !portText.isEmpty()
        && std::all_of(portText.cbegin(), portText.cend(), [](QChar c) { return c.isDigit(); });
    if (!portOk || !digitsOnly || port > 65535)
        return fail(QCoreApplication::translate(
            "ListenAddress", "the port must be a number from 0 to 65535"));

    ListenAddress result;
    result.port = static_cast<quint16>(port);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']'))) {
        host = host.mid(1, host.size() - 2);
        if (!result.address.setAddress(host)
            || result.address.protocol() != QAbstractSocket::IPv6Protocol)
            return fail(
                QCoreApplication::translate("ListenAddress", "\"%1\" is not an IPv6 address")
                    .arg(host));
        return result;
    }
    if (host.contains(QLatin1Char(':')))
        return fail(QCoreApplication::translate(
            "ListenAddress", "write an IPv6 address in brackets, e.g. [::1]:8080"));
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0) {
        result.address = QHostAddress(QHostAddress::LocalHost);
        return result;
    }
    if (host == QLatin1String("*")) {
        result.address = QHostAddress(QHostAddress::Any);
        return result;
    }
    if (host.isEmpty() || !result.address.setAddress(host))
        return fail(
            QCoreApplication::translate("ListenAddress", "\"%1\" is not an IP address").arg(host));
    return result;
}

} // namespace waybill::cli
