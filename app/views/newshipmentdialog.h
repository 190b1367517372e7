// Customer Service's form for a new shipment: every field checked as the server checks it (the
// same validation code), problems shown beside the field, the cost quoted before submitting.
#pragma once

#include "client/commandsender.h"

#include "domain/address.h"

#include <QDialog>
#include <QHash>
#include <QSet>
#include <QTimer>

class QComboBox;
class QCompleter;
class QStringListModel;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace waybill::app {

class AddressForm;
class QuoteService;
class Session;
class WindowEdit;

class NewShipmentDialog final : public QDialog
{
    Q_OBJECT
public:
    NewShipmentDialog(Session *session, const QStringList &accounts, QWidget *parent = nullptr);
    ~NewShipmentDialog() override;

    QLineEdit *idField() const { return m_id; }
    QComboBox *accountField() const { return m_account; }
    QLineEdit *weightField() const { return m_weight; }
    // Accessorial codes, separated by commas or spaces ("liftgate, residential").
    QLineEdit *accessorialsField() const { return m_accessorials; }
    AddressForm *shipFrom() const { return m_from; }
    AddressForm *shipTo() const { return m_to; }
    WindowEdit *pickupWindow() const { return m_pickup; }
    WindowEdit *deliveryWindow() const { return m_delivery; }
    // The cost and its breakdown as the server quoted it (or the estimate, or why there is none).
    QString quoteText() const;
    QString summaryText() const;
    // The problem shown under a field: "id", "billToAccountId", "weightInPounds",
    // "shipFrom/zip", "pickupWindow", "deliveryWindow", ...
    QString problem(const QString &field) const;

    // The addresses this account's shipments already used (newest first), as offered while
    // typing a name into either address: "Name, line 1, City ST zip".
    QStringList addressSuggestions() const;
    // Fills the form with a suggested address (as the completer does when one is picked).
    void useSuggestion(AddressForm *form, const QString &suggestion);

    // Checks every field (showing all problems) and sends the command when they are right.
    void submit();

Q_SIGNALS:
    void submitted(const QString &shipmentId, const QString &message);
    // The account's addresses arrived (tests wait for this).
    void suggestionsLoaded();
    // A quote arrived and is shown (tests wait for this).
    void quoteShown();
    // The next free id was found (and put in the id field unless the clerk typed one).
    void idProposed(const QString &id);
    // The server said whether the id typed is taken (tests wait for this).
    void idChecked(const QString &id);

private:
    // Checks the form; returns the body when it is valid. Problems are shown for the fields the
    // user has left (or all of them when showAll).
    std::optional<QJsonObject> check(bool showAll);
    void showProblem(const QString &field, const QString &problem);
    QString explain(const QString &field, const QString &serverMessage) const;
    void requestQuote();
    // Asks the server whether the id typed is taken already.
    void checkIdFree();
    void onResult(const CommandResult &result, const QString &id);
    // Reads the addresses of the account typed, from its shipments (the history is the truth:
    // there is no address book).
    void loadSuggestions();

    Session *m_session;
    QuoteService *m_quotes;
    QLineEdit *m_id;
    QComboBox *m_account;
    QLineEdit *m_weight;
    QLineEdit *m_accessorials;
    QLabel *m_idProblem;
    QLabel *m_accountProblem;
    QLabel *m_weightProblem;
    QLabel *m_accessorialsProblem;
    AddressForm *m_from;
    AddressForm *m_to;
    WindowEdit *m_pickup;
    WindowEdit *m_delivery;
    QLabel *m_quote;
    QLabel *m_summary;
    QDialogButtonBox *m_buttons;
    QSet<QString> m_touched;
    QTimer m_quoteDelay;
    QTimer m_idCheckDelay;
    QSet<QString> m_takenIds; // ids the server said are taken
    quint64 m_quoteGeneration = 0; // only the newest request's answer is shown
    QString m_suggestionsFor; // the account the suggestions are for
    QHash<QString, Address> m_suggestions;
    QStringListModel *m_suggestionList;
};

} // namespace waybill::app
