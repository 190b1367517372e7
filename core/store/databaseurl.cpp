#include "databaseurl.h"

#include <QUrl>
#include <QUrlQuery>

namespace waybill {

DatabaseUrl DatabaseUrl::sqlite(const QString &path)
{
    DatabaseUrl url;
    url.kind = Kind::Sqlite;
    url.path = path;
    return url;
}

std::optional<DatabaseUrl> DatabaseUrl::parse(const QString &text, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<DatabaseUrl> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (text.startsWith(QLatin1String("sqlite:"))) {
        QString path = text.mid(7);
        if (path.startsWith(QLatin1String("//")))
            path = path.mid(2);
        if (path.isEmpty())
            return fail(QStringLiteral("the SQLite URL has no file path (sqlite:PATH)"));
        return sqlite(path);
    }
    if (text.startsWith(QLatin1String("postgresql://"))
        || text.startsWith(QLatin1String("postgres://"))) {
        const QUrl url(text, QUrl::StrictMode);
        const QString shape
            = QStringLiteral("postgresql://user[:password]@host[:port]/dbname[?option=value&...]");
        if (!url.isValid())
            return fail(QStringLiteral("the PostgreSQL URL is not valid (%1): %2")
                            .arg(shape, url.errorString()));
        DatabaseUrl db;
        db.kind = Kind::Postgres;
        db.host = url.host();
        db.port = url.port(5432);
        db.user = url.userName(QUrl::FullyDecoded);
        db.password = url.password(QUrl::FullyDecoded);
        db.databaseName = url.path(QUrl::FullyDecoded).mid(1);
        const QUrlQuery query(url);
        for (const auto &[encodedKey, encodedValue] : query.queryItems(QUrl::FullyEncoded)) {
            const QString key = QUrl::fromPercentEncoding(encodedKey.toUtf8());
            const QString value = QUrl::fromPercentEncoding(encodedValue.toUtf8());
            if (!postgresOptionNames().contains(key))
                return fail(QStringLiteral("the PostgreSQL URL's option \"%1\" is not one that "
                                           "Waybill passes to the server's client library (%2)")
                                .arg(key, postgresOptionNames().join(QLatin1String(", "))));
            // QPSQL turns ';' into a blank before libpq reads the options.
            if (value.contains(QLatin1Char(';')) || value.contains(QChar(0)))
                return fail(
                    QStringLiteral("the PostgreSQL URL's option \"%1\" may not hold ';'").arg(key));
            if (key == QLatin1String("host")) {
                db.host = value;
            } else if (key == QLatin1String("port")) {
                bool ok = false;
                db.port = value.toInt(&ok);
                if (!ok || db.port < 1 || db.port > 65535)
                    return fail(QStringLiteral("the PostgreSQL URL's port \"%1\" is not a port")
                                    .arg(value));
            } else {
                db.options.append({ key, value });
            }
        }
        if (db.host.isEmpty())
            return fail(QStringLiteral("the PostgreSQL URL names no host (%1; for a Unix socket: "
                                       "postgresql://user@/dbname?host=/run/postgresql)")
                            .arg(shape));
        if (db.user.isEmpty())
            return fail(QStringLiteral("the PostgreSQL URL names no user"));
        if (db.databaseName.isEmpty() || db.databaseName.contains(QLatin1Char('/')))
            return fail(QStringLiteral("the PostgreSQL URL names no database"));
        return db;
    }
    return fail(QStringLiteral("unknown database URL \"%1\": use sqlite:PATH or "
                               "postgresql://user[:password]@host[:port]/dbname")
                    .arg(text));
}

QString DatabaseUrl::toDisplayString() const
{
    if (kind == Kind::Sqlite)
        return QStringLiteral("sqlite:") + path;
    QString text = host.startsWith(QLatin1Char('/'))
        ? QStringLiteral("postgresql://%1@/%2?host=%3").arg(user, databaseName, host)
        : QStringLiteral("postgresql://%1@%2:%3/%4").arg(user, host).arg(port).arg(databaseName);
    for (const auto &[key, value] : options) {
        const bool secret = key == QLatin1String("sslpassword");
        text += (text.contains(QLatin1Char('?')) ? QLatin1Char('&') : QLatin1Char('?')) + key
            + QLatin1Char('=') + (secret ? QStringLiteral("***") : value);
    }
    return text;
}

const QStringList &DatabaseUrl::postgresOptionNames()
{
    // libpq's connection keywords (PostgreSQL 15), less dbname, user and password, which the URL
    // itself carries.
    static const QStringList names { QStringLiteral("host"), QStringLiteral("hostaddr"),
        QStringLiteral("port"), QStringLiteral("passfile"), QStringLiteral("channel_binding"),
        QStringLiteral("connect_timeout"), QStringLiteral("client_encoding"),
        QStringLiteral("options"), QStringLiteral("application_name"),
        QStringLiteral("fallback_application_name"), QStringLiteral("keepalives"),
        QStringLiteral("keepalives_idle"), QStringLiteral("keepalives_interval"),
        QStringLiteral("keepalives_count"), QStringLiteral("tcp_user_timeout"),
        QStringLiteral("sslmode"), QStringLiteral("sslcompression"), QStringLiteral("sslcert"),
        QStringLiteral("sslkey"), QStringLiteral("sslpassword"), QStringLiteral("sslrootcert"),
        QStringLiteral("sslcrl"), QStringLiteral("sslcrldir"), QStringLiteral("sslsni"),
        QStringLiteral("requirepeer"), QStringLiteral("ssl_min_protocol_version"),
        QStringLiteral("ssl_max_protocol_version"), QStringLiteral("gssencmode"),
        QStringLiteral("krbsrvname"), QStringLiteral("gsslib"), QStringLiteral("service"),
        QStringLiteral("target_session_attrs") };
    return names;
}

QString DatabaseUrl::postgresConnectOptions() const
{
    // libpq's conninfo quoting: single quotes, with backslash and quote escaped.
    const auto quoted = [](QString value) {
        value.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
        value.replace(QLatin1Char('\''), QLatin1String("\\'"));
        return QLatin1Char('\'') + value + QLatin1Char('\'');
    };
    QStringList parts;
    bool timeoutGiven = false;
    for (const auto &[key, value] : options) {
        timeoutGiven = timeoutGiven || key == QLatin1String("connect_timeout");
        parts.append(key + QLatin1Char('=') + quoted(value));
    }
    // A server that does not answer must not hold the start (or a request) for ever.
    if (!timeoutGiven)
        parts.prepend(QStringLiteral("connect_timeout=10"));
    return parts.join(QLatin1Char(';'));
}

} // namespace waybill
