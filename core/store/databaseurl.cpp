#include "databaseurl.h"

#include <QUrl>

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
        if (!url.isValid() || url.host().isEmpty())
            return fail(QStringLiteral("the PostgreSQL URL is not valid "
                                       "(postgresql://user[:password]@host[:port]/dbname)"));
        DatabaseUrl db;
        db.kind = Kind::Postgres;
        db.host = url.host();
        db.port = url.port(5432);
        db.user = url.userName(QUrl::FullyDecoded);
        db.password = url.password(QUrl::FullyDecoded);
        db.databaseName = url.path(QUrl::FullyDecoded).mid(1);
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
    return QStringLiteral("postgresql://%1@%2:%3/%4").arg(user, host).arg(port).arg(databaseName);
}

} // namespace waybill
