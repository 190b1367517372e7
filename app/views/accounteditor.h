// Finance's form for an account's record: open it (name, billing address, payment terms, credit
// limit) or update it, with the exposure shown against the limit as it is typed. An update sends
// only what changed, with the version shown (If-Match).
#pragma once

#include "client/commandsender.h"
#include "models/recordrows.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSpinBox;

namespace waybill::app {

class AddressForm;
class Session;

class AccountEditor final : public QDialog
{
    Q_OBJECT
public:
    // existing: the account as shown in the list (null for a new id). An account never opened
    // (known only from shipments and payments) is opened; an open one is updated.
    AccountEditor(Session *session, const AccountRow *existing, QWidget *parent = nullptr);

    bool isOpening() const { return m_opening; }
    QLineEdit *idField() const { return m_id; }
    QLineEdit *nameField() const { return m_name; }
    AddressForm *addressForm() const { return m_address; }
    QSpinBox *termsField() const { return m_terms; }
    QLineEdit *limitField() const { return m_limit; }
    QProgressBar *exposureBar() const { return m_exposureBar; }
    QString exposureText() const;
    QString errorText() const;
    std::optional<int> expectedVersion() const { return m_expectedVersion; }
    // Checks the form and sends open or update (what the submit button does).
    void submit();

Q_SIGNALS:
    void succeeded(const QString &message);

private:
    // The limit typed: nullopt inside when "no limit"; false when the text is not an amount.
    bool typedLimit(std::optional<Cents> *limit) const;
    void updateExposure();
    void showProblem(const QString &problem);
    void onResult(const CommandResult &result, const CommandRequest &request);

    Session *m_session;
    bool m_opening;
    std::optional<AccountRow> m_existing;
    // A new account is opened against "no events yet" (If-Match "0").
    std::optional<int> m_expectedVersion = 0;
    QLineEdit *m_id;
    QLineEdit *m_name;
    AddressForm *m_address;
    QSpinBox *m_terms;
    QLineEdit *m_limit;
    QProgressBar *m_exposureBar;
    QLabel *m_exposure;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace waybill::app
