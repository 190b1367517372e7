// docs/openapi.json against the server itself: it lists exactly the routes the router answers
// (method and path, both ways), so neither can change without the other, and GET /openapi.json
// serves that very document.
#include "testserver.h"

#include "api/api.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>

using namespace waybill;
using namespace waybill::test;

namespace {

QByteArray documentInRepository()
{
    QFile file(QStringLiteral(WAYBILL_SOURCE_DIR "/docs/openapi.json"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// "GET /shipments/{}": a path parameter's name does not matter to the router.
QSet<QString> documentedRoutes(const QJsonObject &document)
{
    static const QRegularExpression parameter(QStringLiteral("\\{[^}/]+\\}"));
    QSet<QString> routes;
    const QJsonObject paths = document.value(QStringLiteral("paths")).toObject();
    for (auto path = paths.begin(); path != paths.end(); ++path) {
        QString pattern = path.key();
        pattern.replace(parameter, QStringLiteral("{}"));
        const QJsonObject operations = path.value().toObject();
        for (auto operation = operations.begin(); operation != operations.end(); ++operation) {
            if (operation.key() == QLatin1String("parameters"))
                continue;
            routes.insert(operation.key().toUpper() + QLatin1Char(' ') + pattern);
        }
    }
    return routes;
}

} // namespace

class TestOpenApi final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void documentListsExactlyTheRoutesOfTheRouter()
    {
        QJsonParseError parseError {};
        const QJsonDocument document = QJsonDocument::fromJson(documentInRepository(), &parseError);
        QVERIFY2(document.isObject(), qPrintable(parseError.errorString()));
        QVERIFY(document.object()
                    .value(QStringLiteral("openapi"))
                    .toString()
                    .startsWith(QLatin1String("3.")));

        TestServer server(DatabaseUrl::sqlite(m_dir.filePath(QStringLiteral("routes.db"))));
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        QSet<QString> routed;
        {
            api::Api api(server.engine(), {});
            for (const api::RouteEntry &route : api.routes())
                routed.insert(QString::fromLatin1(route.method) + QLatin1Char(' ') + route.pattern);
        }
        const QSet<QString> documented = documentedRoutes(document.object());
        QStringList undocumented = (routed - documented).values();
        QStringList unrouted = (documented - routed).values();
        undocumented.sort();
        unrouted.sort();
        QVERIFY2(undocumented.isEmpty(),
            qPrintable(QStringLiteral("routes missing from docs/openapi.json: ")
                + undocumented.join(QStringLiteral(", "))));
        QVERIFY2(unrouted.isEmpty(),
            qPrintable(QStringLiteral("docs/openapi.json lists routes the server lacks: ")
                + unrouted.join(QStringLiteral(", "))));
    }

    // Every error answer the document describes is the contract's {"error", "message"}: its
    // schema is Error, or builds on it (allOf).
    void everyDocumentedErrorIsTheErrorBody()
    {
        const QJsonObject document = QJsonDocument::fromJson(documentInRepository()).object();
        const auto resolve = [&document](QJsonObject object) {
            while (object.contains(QStringLiteral("$ref"))) {
                QJsonValue target = document;
                const QStringList parts = object.value(QStringLiteral("$ref"))
                                              .toString()
                                              .mid(2)
                                              .split(QLatin1Char('/'));
                for (const QString &part : parts)
                    target = target.toObject().value(part);
                object = target.toObject();
            }
            return object;
        };
        const std::function<bool(const QJsonObject &)> isError = [&](const QJsonObject &schema) {
            if (schema.value(QStringLiteral("$ref")).toString()
                == QLatin1String("#/components/schemas/Error"))
                return true;
            const QJsonObject resolved = resolve(schema);
            for (const QJsonValue &part : resolved.value(QStringLiteral("allOf")).toArray()) {
                if (isError(part.toObject()))
                    return true;
            }
            return false;
        };
        const QJsonObject paths = document.value(QStringLiteral("paths")).toObject();
        int checked = 0;
        for (auto path = paths.begin(); path != paths.end(); ++path) {
            const QJsonObject operations = path.value().toObject();
            for (auto operation = operations.begin(); operation != operations.end(); ++operation) {
                const QJsonObject responses
                    = operation.value().toObject().value(QStringLiteral("responses")).toObject();
                for (auto response = responses.begin(); response != responses.end(); ++response) {
                    if (response.key().toInt() < 400)
                        continue;
                    const QJsonObject schema = resolve(response.value().toObject())
                                                   .value(QStringLiteral("content"))
                                                   .toObject()
                                                   .value(QStringLiteral("application/json"))
                                                   .toObject()
                                                   .value(QStringLiteral("schema"))
                                                   .toObject();
                    QVERIFY2(isError(schema),
                        qPrintable(operation.key() + QLatin1Char(' ') + path.key()
                            + QLatin1Char(' ') + response.key()));
                    ++checked;
                }
            }
        }
        QVERIFY(checked > 40);
        const QJsonArray required = resolve(QJsonObject { { QStringLiteral("$ref"),
                                                QStringLiteral("#/components/schemas/Error") } })
                                        .value(QStringLiteral("required"))
                                        .toArray();
        QVERIFY(required.contains(QStringLiteral("error"))
            && required.contains(QStringLiteral("message")));
    }

    void servesTheDocumentOfTheRepository()
    {
        TestServer server(DatabaseUrl::sqlite(m_dir.filePath(QStringLiteral("served.db"))));
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const HttpResponse served = server.get(QStringLiteral("/openapi.json"), Role::Dispatch);
        QVERIFY2(served.status == 200, served.describe());
        QVERIFY(served.header("Content-Type").startsWith("application/json"));
        QCOMPARE(served.body, documentInRepository());
        QCOMPARE(server.request("GET", QStringLiteral("/openapi.json")).status, 401);
    }
};

QTEST_MAIN(TestOpenApi)
#include "tst_openapi.moc"
