// Matches a method and a path against route patterns such as "/shipments/{}/events", telling
// "no such path" (404) from "not with this method" (405).
#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVector>

namespace waybill::http {

template<typename Target> class Router final
{
public:
    // "{}" in a pattern matches one path segment, handed to the target percent-decoded.
    void add(const QByteArray &method, const QString &pattern, Target target)
    {
        m_routes.append(
            { method, pattern.split(QLatin1Char('/'), Qt::SkipEmptyParts), std::move(target) });
    }

    struct Match
    {
        const Target *target = nullptr;
        QStringList params;
        QByteArrayList allowedMethods; // when the path exists but not for this method
    };

    // encodedPath: the path as sent (percent-encoded), so that "%2F" stays inside one segment.
    Match match(const QByteArray &method, const QString &encodedPath) const
    {
        const QStringList segments = encodedPath.split(QLatin1Char('/'));
        Match result;
        for (const Route &route : m_routes) {
            QStringList params;
            if (!matches(route.pattern, segments, &params))
                continue;
            if (route.method == method) {
                result.target = &route.target;
                result.params = params;
                result.allowedMethods.clear();
                return result;
            }
            if (!result.allowedMethods.contains(route.method))
                result.allowedMethods.append(route.method);
        }
        return result;
    }

private:
    struct Route
    {
        QByteArray method;
        QStringList pattern;
        Target target;
    };

    static bool matches(
        const QStringList &pattern, const QStringList &segments, QStringList *params)
    {
        // segments starts with "" (the text before the leading '/').
        if (segments.size() != pattern.size() + 1 || !segments.first().isEmpty())
            return false;
        for (qsizetype i = 0; i < pattern.size(); ++i) {
            const QString &segment = segments.at(i + 1);
            if (pattern.at(i) == QLatin1String("{}")) {
                if (segment.isEmpty())
                    return false;
                params->append(QUrl::fromPercentEncoding(segment.toUtf8()));
            } else if (pattern.at(i) != segment) {
                return false;
            }
        }
        return true;
    }

    QVector<Route> m_routes;
};

} // namespace waybill::http
