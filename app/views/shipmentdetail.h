// One shipment: its state now, its history as a timeline (what, when, who), and the state as it
// was after any past event (GET /shipments/{id}?asOf=<that event's time>).
#pragma once

#include "documentpreview.h"

#include "domain/shipment.h"

#include <QHash>
#include <QTimer>
#include <QWidget>

#include <optional>

class QFormLayout;
class QFrame;
class QLabel;
class QAction;
class QPushButton;
class QTableView;

namespace waybill::app {

class DocumentLoader;
class Session;
class ShipmentActions;
class TimelineModel;
class TruckTableModel;
struct ApiResult;

class ShipmentDetail final : public QWidget
{
    Q_OBJECT
public:
    ShipmentDetail(Session *session, TruckTableModel *trucks, QWidget *parent = nullptr);

    void showShipment(const QString &id);
    QString shipmentId() const { return m_id; }
    // The state on screen (now, or as it was), once read.
    std::optional<ShipmentState> shownState() const { return m_shown; }
    bool isShowingPast() const { return !m_asOf.isEmpty(); }
    // Shows the state as it was right after the event on that row of the timeline.
    void showAsOf(int timelineRow);
    void backToNow();

    ShipmentActions *actions() const { return m_actions; }
    // Every role that reads: the shipment's bill of lading in a print preview (documentOpened).
    QAction *billOfLadingAction() const { return m_billOfLading; }
    void printBillOfLading();
    TimelineModel *timeline() const { return m_timeline; }
    QTableView *timelineView() const { return m_timelineView; }
    // The text of a field on screen ("status", "truck", ...): for tests and accessibility.
    QString fieldText(const QString &field) const;

Q_SIGNALS:
    void succeeded(const QString &message);
    void failed(const QString &message);
    // A document's preview is on screen, to print or save as PDF.
    void documentOpened(DocumentPreview *preview);

private:
    void load();
    void onLoaded(const QString &id, const QString &asOf, const ApiResult &answer);
    void display(const std::optional<ShipmentState> &state);
    void addField(QFormLayout *form, const QString &key, const QString &label);
    void setField(const QString &key, const QString &text);

    Session *m_session;
    QString m_id;
    QString m_asOf; // ISO time of the past state shown; empty: now
    std::optional<ShipmentState> m_shown;
    ShipmentActions *m_actions;
    TimelineModel *m_timeline;
    QLabel *m_placeholder;
    QWidget *m_content;
    QLabel *m_title;
    QLabel *m_badge;
    QFrame *m_pastBanner;
    QLabel *m_pastText;
    QPushButton *m_backToNow;
    QLabel *m_error;
    QFormLayout *m_form;
    QHash<QString, QLabel *> m_fields;
    QTableView *m_timelineView;
    QTimer m_reload;
    QAction *m_billOfLading;
    DocumentLoader *m_documents;
};

} // namespace waybill::app
