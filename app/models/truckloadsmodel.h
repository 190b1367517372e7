// Dispatch's list of trucks: each truck of the truck list with its loads in the order they are due
// (id, status, pickup and delivery windows, as the planboard's reading of the loads has them),
// whether it is in service, and how much of its capacity the loads use.
#pragma once

#include <QHash>
#include <QIdentityProxyModel>
#include <QLocale>
#include <QPointer>
#include <QStringList>
#include <QVector>

namespace waybill {
struct ShipmentState;
}

namespace waybill::app {

class PlanBoardModel;
class TruckTableModel;
struct TruckRow;

class TruckLoadsModel final : public QIdentityProxyModel
{
    Q_OBJECT
public:
    // trucks: the rows; loads: where each load's status and windows are read.
    TruckLoadsModel(TruckTableModel *trucks, PlanBoardModel *loads, QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // One load as the list shows it, the delivery window under the pickup's:
    // "S-1 · Assigned · Wed 12/2 8:00–11:00 AM\n    → Wed 12/2 1:00–5:00 PM".
    static QString loadText(const ShipmentState &load, const QLocale &locale = QLocale());
    // The truck's loads, the earliest due first; a load not read yet is its id alone.
    QStringList loadTexts(const TruckRow &truck) const;

private:
    // What a truck's loads text is made of: each load with the version and status read (version
    // -1: not read). The same reading gives the same text.
    struct ReadLoad
    {
        QString id;
        int version = -1;
        int status = -1;
        bool operator==(const ReadLoad &o) const
        {
            return id == o.id && version == o.version && status == o.status;
        }
    };
    using Reading = QVector<ReadLoad>;
    struct Lines
    {
        Reading reading;
        QString text; // the loads, one or two lines each, in order
    };

    Reading readingOf(const TruckRow &truck) const;
    // The truck's loads text as kept; made when first asked for.
    const Lines &linesOf(const TruckRow &truck) const;
    // Signals the trucks whose loads read differently now, and only those.
    void loadsChanged();
    void forgetRows(int first, int last);

    QPointer<TruckTableModel> m_trucks;
    QPointer<PlanBoardModel> m_loads;
    // By truck id: made once per reading, not each time a view paints or sizes a cell.
    mutable QHash<QString, Lines> m_lines;
};

} // namespace waybill::app
