import type { ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import type { Permission } from '@ruche/core';
import { RequireAuth } from './auth/RequireAuth';
import { RequirePermission } from './auth/RequirePermission';
import { AppLayout } from './layout/AppLayout';
import { PublicLayout } from './layout/PublicLayout';
import {
  ACCOUNTING_SECTIONS,
  DONATIONS_RECORD_PERMISSION,
  MEMBERSHIP_SECTIONS,
  PAYMENTS_COLLECT_PERMISSION,
  RECONCILIATION_CONFIGURE_PERMISSION,
  SETTINGS_SECTIONS,
} from './layout/navigation';
import { AccountingPage } from './pages/accounting/AccountingPage';
import { AccountsTab } from './pages/accounting/accounts/AccountsTab';
import { EntriesTab } from './pages/accounting/entries/EntriesTab';
import { EntryDetailPage } from './pages/accounting/entries/EntryDetailPage';
import { EntryFormPage } from './pages/accounting/entries/EntryFormPage';
import { FiscalYearsTab } from './pages/accounting/fiscal-years/FiscalYearsTab';
import { JournalsTab } from './pages/accounting/journals/JournalsTab';
import { PostingAccountsTab } from './pages/accounting/posting-accounts/PostingAccountsTab';
import { ReportsTab } from './pages/accounting/reports/ReportsTab';
import { AcceptInvitationPage } from './pages/auth/AcceptInvitationPage';
import { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage';
import { LoginPage } from './pages/auth/LoginPage';
import { ResetPasswordPage } from './pages/auth/ResetPasswordPage';
import { SignupPage } from './pages/auth/SignupPage';
import { DashboardPage } from './pages/dashboard/DashboardPage';
import { DonatePage } from './pages/donate/DonatePage';
import { DonateThanksPage } from './pages/donate/DonateThanksPage';
import { CampaignFormPage } from './pages/donations/campaigns/CampaignFormPage';
import { CampaignsList } from './pages/donations/campaigns/CampaignsList';
import { DonationDetailPage } from './pages/donations/DonationDetailPage';
import { DonationsList } from './pages/donations/DonationsList';
import { DonationsPage } from './pages/donations/DonationsPage';
import { DonorsTab } from './pages/donations/donors/DonorsTab';
import { DonationFormPage } from './pages/donations/form/DonationFormPage';
import { DonationSettingsTab } from './pages/donations/settings/DonationSettingsTab';
import { HomePage } from './pages/HomePage';
import { InvoicesPage } from './pages/invoices/InvoicesPage';
import { JoinPage } from './pages/join/JoinPage';
import { JoinThanksPage } from './pages/join/JoinThanksPage';
import { ConfigurationTab } from './pages/members/configuration/ConfigurationTab';
import { ContactDetailPage } from './pages/members/detail/ContactDetailPage';
import { ContactsDirectory } from './pages/members/directory/ContactsDirectory';
import { ContactFormPage } from './pages/members/form/ContactFormPage';
import { ImportPage } from './pages/members/import/ImportPage';
import { ImportTab } from './pages/members/import/ImportTab';
import { MembersPage } from './pages/members/MembersPage';
import { MemberCheckTab } from './pages/memberships/check/MemberCheckTab';
import { MembershipDashboardTab } from './pages/memberships/dashboard/MembershipDashboardTab';
import { MembershipsPage } from './pages/memberships/MembershipsPage';
import { PlanFormPage } from './pages/memberships/plans/PlanFormPage';
import { PlansTab } from './pages/memberships/plans/PlansTab';
import { MembershipSettingsTab } from './pages/memberships/settings/MembershipSettingsTab';
import { NotFoundPage } from './pages/NotFoundPage';
import { DepositDetailPage } from './pages/payments/deposits/DepositDetailPage';
import { DepositFormPage } from './pages/payments/deposits/DepositFormPage';
import { DepositsList } from './pages/payments/deposits/DepositsList';
import { ManualPaymentPage } from './pages/payments/manual/ManualPaymentPage';
import { PaymentDetailPage } from './pages/payments/PaymentDetailPage';
import { PaymentsList } from './pages/payments/PaymentsList';
import { PaymentsPage } from './pages/payments/PaymentsPage';
import { PayoutDetailPage } from './pages/payments/payouts/PayoutDetailPage';
import { PayoutsList } from './pages/payments/payouts/PayoutsList';
import { MemberAccountPage } from './pages/member-space/MemberAccountPage';
import { MemberLinkPage } from './pages/member-space/MemberLinkPage';
import { MemberLoginPage } from './pages/member-space/MemberLoginPage';
import { AnnualReceiptsTab } from './pages/receipts/AnnualReceiptsTab';
import { BankAccountFormPage } from './pages/reconciliation/BankAccountFormPage';
import { BankAccountPage } from './pages/reconciliation/BankAccountPage';
import { BankAccountsList } from './pages/reconciliation/BankAccountsList';
import { ReconciliationPage } from './pages/reconciliation/ReconciliationPage';
import { RulesTab } from './pages/reconciliation/rules/RulesTab';
import { DeclarationTab } from './pages/receipts/DeclarationTab';
import { ReceiptDetailPage } from './pages/receipts/ReceiptDetailPage';
import { ReceiptsPage } from './pages/receipts/ReceiptsPage';
import { ReceiptsRegister } from './pages/receipts/ReceiptsRegister';
import { WaitingGiftsTab } from './pages/receipts/WaitingGiftsTab';
import { AuditLogTab } from './pages/settings/audit/AuditLogTab';
import { EmailsTab } from './pages/settings/emails/EmailsTab';
import { IdentityTab } from './pages/settings/identity/IdentityTab';
import { InvoiceSettingsTab } from './pages/settings/invoices/InvoiceSettingsTab';
import { FailedJobsTab } from './pages/settings/jobs/FailedJobsTab';
import { ReceiptSettingsTab } from './pages/settings/receipts/ReceiptSettingsTab';
import { SettingsPage } from './pages/settings/SettingsPage';
import { StripeTab } from './pages/settings/stripe/StripeTab';
import { UsersTab } from './pages/settings/users/UsersTab';
import { WebhooksTab } from './pages/settings/webhooks/WebhooksTab';

const SETTINGS_PAGES: Record<string, ReactNode> = {
  identity: <IdentityTab />,
  users: <UsersTab />,
  emails: <EmailsTab />,
  jobs: <FailedJobsTab />,
  audit: <AuditLogTab />,
  webhooks: <WebhooksTab />,
  stripe: <StripeTab />,
  receipts: <ReceiptSettingsTab />,
  invoices: <InvoiceSettingsTab />,
};

const ACCOUNTING_PAGES: Record<string, ReactNode> = {
  entries: <EntriesTab />,
  accounts: <AccountsTab />,
  journals: <JournalsTab />,
  'fiscal-years': <FiscalYearsTab />,
  'posting-accounts': <PostingAccountsTab />,
  reports: <ReportsTab />,
};

const MEMBERSHIP_PAGES: Record<string, ReactNode> = {
  dashboard: <MembershipDashboardTab />,
  check: <MemberCheckTab />,
  plans: <PlansTab />,
  settings: <MembershipSettingsTab />,
};

function guarded(permission: Permission, page: ReactNode) {
  return <RequirePermission permission={permission}>{page}</RequirePermission>;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<PublicLayout />}>
        <Route path="login" element={<LoginPage />} />
        <Route path="signup" element={<SignupPage />} />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="invitations/accept" element={<AcceptInvitationPage />} />
        <Route path="espace-membre/compte" element={<MemberAccountPage />} />
        <Route path="espace-membre/:orgId" element={<MemberLoginPage />} />
        <Route path="espace-membre/:orgId/connexion" element={<MemberLinkPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
      <Route element={<PublicLayout embeddable />}>
        <Route path="adhesion/:orgId" element={<JoinPage />} />
        <Route path="adhesion/:orgId/merci" element={<JoinThanksPage />} />
        <Route path="don/:orgId" element={<DonatePage />} />
        <Route path="don/:orgId/merci" element={<DonateThanksPage />} />
      </Route>
      <Route element={<RequireAuth />}>
        <Route index element={<HomePage />} />
        <Route path="orgs/:orgId" element={<AppLayout />}>
          <Route index element={<Navigate to="dashboard" replace />} />
          <Route path="dashboard" element={<DashboardPage />} />
          <Route path="settings" element={<SettingsPage />}>
            <Route index element={<Navigate to="identity" replace />} />
            {SETTINGS_SECTIONS.map((section) => (
              <Route
                key={section.path}
                path={section.path}
                element={guarded(section.permission, SETTINGS_PAGES[section.path])}
              />
            ))}
          </Route>
          <Route path="accounting" element={<AccountingPage />}>
            <Route index element={<Navigate to="entries" replace />} />
            {ACCOUNTING_SECTIONS.map((section) => (
              <Route
                key={section.path}
                path={section.path}
                element={guarded(section.permission, ACCOUNTING_PAGES[section.path])}
              />
            ))}
            <Route path="entries/new" element={guarded('accounting.write', <EntryFormPage />)} />
            <Route
              path="entries/:entryId"
              element={guarded('accounting.read', <EntryDetailPage />)}
            />
            <Route
              path="entries/:entryId/edit"
              element={guarded('accounting.write', <EntryFormPage />)}
            />
          </Route>
          <Route path="contacts" element={guarded('contacts.read', <MembersPage />)}>
            <Route index element={<ContactsDirectory />} />
            <Route path="new" element={guarded('contacts.write', <ContactFormPage />)} />
            <Route path="import" element={guarded('contacts.write', <ImportTab />)} />
            <Route path="import/:importId" element={guarded('contacts.write', <ImportPage />)} />
            <Route
              path="configuration"
              element={guarded('contacts.configure', <ConfigurationTab />)}
            />
            <Route path=":contactId" element={<ContactDetailPage />} />
            <Route
              path=":contactId/edit"
              element={guarded('contacts.write', <ContactFormPage />)}
            />
          </Route>
          <Route path="memberships" element={guarded('memberships.read', <MembershipsPage />)}>
            <Route index element={<Navigate to="dashboard" replace />} />
            {MEMBERSHIP_SECTIONS.map((section) => (
              <Route
                key={section.path}
                path={section.path}
                element={guarded(section.permission, MEMBERSHIP_PAGES[section.path])}
              />
            ))}
            <Route path="plans/new" element={guarded('memberships.configure', <PlanFormPage />)} />
            <Route
              path="plans/:planId"
              element={guarded('memberships.configure', <PlanFormPage />)}
            />
          </Route>
          <Route path="payments" element={guarded('payments.read', <PaymentsPage />)}>
            <Route index element={<PaymentsList />} />
            <Route path="payouts" element={guarded('payments.read', <PayoutsList />)} />
            <Route
              path="payouts/:payoutId"
              element={guarded('payments.read', <PayoutDetailPage />)}
            />
            <Route path="deposits" element={guarded('payments.read', <DepositsList />)} />
            <Route
              path="deposits/new"
              element={guarded(PAYMENTS_COLLECT_PERMISSION, <DepositFormPage />)}
            />
            <Route
              path="deposits/:depositId"
              element={guarded('payments.read', <DepositDetailPage />)}
            />
            <Route
              path="new"
              element={guarded(PAYMENTS_COLLECT_PERMISSION, <ManualPaymentPage />)}
            />
            <Route path=":paymentId" element={<PaymentDetailPage />} />
          </Route>
          <Route path="invoices" element={guarded('payments.read', <InvoicesPage />)} />
          <Route path="donations" element={guarded('donations.read', <DonationsPage />)}>
            <Route index element={<DonationsList />} />
            <Route
              path="new"
              element={guarded(DONATIONS_RECORD_PERMISSION, <DonationFormPage />)}
            />
            <Route path="campaigns" element={<CampaignsList />} />
            <Route
              path="campaigns/new"
              element={guarded('donations.configure', <CampaignFormPage />)}
            />
            <Route
              path="campaigns/:campaignId"
              element={guarded('donations.configure', <CampaignFormPage />)}
            />
            <Route path="donors" element={<DonorsTab />} />
            <Route
              path="settings"
              element={guarded('donations.configure', <DonationSettingsTab />)}
            />
            <Route path=":donationId" element={<DonationDetailPage />} />
          </Route>
          <Route path="receipts" element={guarded('receipts.read', <ReceiptsPage />)}>
            <Route index element={<ReceiptsRegister />} />
            <Route path="waiting" element={<WaitingGiftsTab />} />
            <Route path="annual" element={<AnnualReceiptsTab />} />
            <Route path="declaration" element={<DeclarationTab />} />
            <Route path=":receiptId" element={<ReceiptDetailPage />} />
          </Route>
          <Route
            path="reconciliation"
            element={guarded('reconciliation.read', <ReconciliationPage />)}
          >
            <Route index element={<BankAccountsList />} />
            <Route path="accounts" element={<Navigate to=".." replace />} />
            <Route
              path="accounts/new"
              element={guarded(RECONCILIATION_CONFIGURE_PERMISSION, <BankAccountFormPage />)}
            />
            <Route path="accounts/:bankAccountId" element={<BankAccountPage />} />
            <Route
              path="accounts/:bankAccountId/edit"
              element={guarded(RECONCILIATION_CONFIGURE_PERMISSION, <BankAccountFormPage />)}
            />
            <Route path="rules" element={<RulesTab />} />
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}
