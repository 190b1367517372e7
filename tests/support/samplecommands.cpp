#include "samplecommands.h"

namespace waybill::test {

namespace {

QJsonObject address(const QString &name)
{
    return { { QStringLiteral("name"), name },
        { QStringLiteral("line1"), QStringLiteral("100 Grand Ave") },
        { QStringLiteral("line2"), QStringLiteral("Dock 4") },
        { QStringLiteral("city"), QStringLiteral("Des Moines") },
        { QStringLiteral("state"), QStringLiteral("IA") },
        { QStringLiteral("zip"), QStringLiteral("50309") } };
}

void collectStrings(const QJsonValue &value, const QJsonArray &path, QVector<QJsonArray> *paths)
{
    if (value.isString()) {
        paths->append(path);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            QJsonArray inner = path;
            inner.append(it.key());
            collectStrings(it.value(), inner, paths);
        }
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            QJsonArray inner = path;
            inner.append(int(i));
            collectStrings(array.at(i), inner, paths);
        }
    }
}

QJsonValue replaced(const QJsonValue &value, const QJsonArray &path, int step, const QString &text)
{
    if (step == path.size())
        return text;
    const QJsonValue key = path.at(step);
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        const QString name = key.toString();
        object.insert(name, replaced(object.value(name), path, step + 1, text));
        return object;
    }
    QJsonArray array = value.toArray();
    const int index = key.toInt();
    array.replace(index, replaced(array.at(index), path, step + 1, text));
    return array;
}

} // namespace

QString SampleCommand::route(const QString &entityId) const
{
    return QStringLiteral("/%1/%2/commands/%3").arg(collection, entityId, commandTypeName(type));
}

QVector<CommandType> allCommandTypes()
{
    QVector<CommandType> types;
    for (int i = 0; !commandTypeName(CommandType(i)).isEmpty(); ++i)
        types.append(CommandType(i));
    return types;
}

std::optional<SampleCommand> sampleCommand(CommandType type)
{
    const QString shipments = QStringLiteral("shipments");
    const QString accounts = QStringLiteral("accounts");
    const QString trucks = QStringLiteral("trucks");
    const QJsonObject pickup { { QStringLiteral("from"), QStringLiteral("2026-12-01T08:00:00Z") },
        { QStringLiteral("to"), QStringLiteral("2026-12-01T10:00:00Z") } };
    const QJsonObject delivery { { QStringLiteral("from"), QStringLiteral("2026-12-02T08:00:00Z") },
        { QStringLiteral("to"), QStringLiteral("2026-12-02T17:00:00Z") } };
    switch (type) {
    case CommandType::Submit:
        return SampleCommand { type, shipments,
            { { QStringLiteral("shipFrom"), address(QStringLiteral("Acme")) },
                { QStringLiteral("shipTo"), address(QStringLiteral("Globex")) },
                { QStringLiteral("weightInPounds"), 1200 },
                { QStringLiteral("billToAccountId"), QStringLiteral("acme") },
                // Other windows than the amend's and the reschedule's, which change them.
                { QStringLiteral("pickupWindow"),
                    QJsonObject {
                        { QStringLiteral("from"), QStringLiteral("2026-11-30T08:00:00Z") },
                        { QStringLiteral("to"), QStringLiteral("2026-11-30T12:00:00Z") } } },
                { QStringLiteral("deliveryWindow"),
                    QJsonObject {
                        { QStringLiteral("from"), QStringLiteral("2026-11-30T14:00:00Z") },
                        { QStringLiteral("to"), QStringLiteral("2026-12-01T23:59:59Z") } } } } };
    case CommandType::Assign:
        return SampleCommand { type, shipments,
            { { QStringLiteral("truckId"), QStringLiteral("t1") } } };
    case CommandType::Ship:
        return SampleCommand { type, shipments, {} };
    case CommandType::Deliver:
        return SampleCommand { type, shipments,
            { { QStringLiteral("signedBy"), QStringLiteral("Dana at the dock") } } };
    case CommandType::Cancel:
        return SampleCommand { type, shipments,
            { { QStringLiteral("reason"), QStringLiteral("customer changed plans") } } };
    case CommandType::Payment:
        return SampleCommand { type, accounts, { { QStringLiteral("amount"), 120.5 } } };
    case CommandType::Amend:
        return SampleCommand { type, shipments,
            { { QStringLiteral("shipFrom"), address(QStringLiteral("Acme")) },
                { QStringLiteral("shipTo"), address(QStringLiteral("Initech")) },
                { QStringLiteral("weightInPounds"), 1250.5 },
                { QStringLiteral("billToAccountId"), QStringLiteral("initech") },
                { QStringLiteral("pickupWindow"), pickup },
                { QStringLiteral("deliveryWindow"), delivery },
                { QStringLiteral("reason"),
                    QStringLiteral("re-weighed; billed to the consignee") } } };
    case CommandType::Reschedule:
        return SampleCommand { type, shipments,
            { { QStringLiteral("pickupWindow"), pickup },
                { QStringLiteral("deliveryWindow"), delivery },
                { QStringLiteral("reason"), QStringLiteral("dock closed") } } };
    case CommandType::Open:
    case CommandType::Update:
        return SampleCommand { type, accounts,
            { { QStringLiteral("name"), QStringLiteral("Acme Corporation") },
                { QStringLiteral("billingAddress"), address(QStringLiteral("Acme Billing")) },
                { QStringLiteral("paymentTermsDays"), 45 },
                { QStringLiteral("creditLimit"), 25000.5 } } };
    case CommandType::Hold:
        return SampleCommand { type, accounts,
            { { QStringLiteral("reason"), QStringLiteral("cheque bounced") } } };
    case CommandType::Release:
        return SampleCommand { type, accounts, {} };
    case CommandType::ReversePayment:
        return SampleCommand { type, accounts,
            { { QStringLiteral("paymentCommandId"),
                  QStringLiteral("5d3dcd2a-4547-4060-9d23-396b405f6071") },
                { QStringLiteral("reason"), QStringLiteral("keyed $1,000 for $100") } } };
    case CommandType::Credit:
        return SampleCommand { type, accounts,
            { { QStringLiteral("amount"), 12.34 },
                { QStringLiteral("reason"), QStringLiteral("damaged crate") },
                { QStringLiteral("shipmentId"), QStringLiteral("s1") } } };
    case CommandType::Register:
        return SampleCommand { type, trucks,
            { { QStringLiteral("name"), QStringLiteral("Big Blue") },
                { QStringLiteral("capacityPounds"), 40000 } } };
    case CommandType::OutOfService:
        return SampleCommand { type, trucks,
            { { QStringLiteral("reason"), QStringLiteral("flat tire") } } };
    case CommandType::ReturnToService:
        return SampleCommand { type, trucks, {} };
    case CommandType::Invoice:
        return std::nullopt;
    }
    return std::nullopt;
}

QVector<SampleCommand> sampleCommands()
{
    QVector<SampleCommand> samples;
    for (CommandType type : allCommandTypes()) {
        if (auto sample = sampleCommand(type))
            samples.append(*sample);
    }
    return samples;
}

QVector<QJsonArray> stringPaths(const QJsonObject &body)
{
    QVector<QJsonArray> paths;
    collectStrings(body, {}, &paths);
    return paths;
}

QJsonObject withString(const QJsonObject &body, const QJsonArray &path, const QString &text)
{
    return replaced(body, path, 0, text).toObject();
}

} // namespace waybill::test
