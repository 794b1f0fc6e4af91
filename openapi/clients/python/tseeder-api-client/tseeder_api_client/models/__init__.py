""" Contains all the data models used in inputs/outputs """

from .accept_invite_request import AcceptInviteRequest
from .admin_action_request import AdminActionRequest
from .admin_org import AdminOrg
from .admin_usage import AdminUsage
from .admin_user_detail import AdminUserDetail
from .alert import Alert
from .alert_list import AlertList
from .alert_section import AlertSection
from .alert_severity import AlertSeverity
from .api_key import ApiKey
from .api_key_list import ApiKeyList
from .assign_plan_request import AssignPlanRequest
from .audit_entry import AuditEntry
from .audit_hits import AuditHits
from .bandwidth import Bandwidth
from .billing import Billing
from .billing_redirect import BillingRedirect
from .block_request import BlockRequest
from .block_response import BlockResponse
from .blocklist_entry import BlocklistEntry
from .bulk_replay_request import BulkReplayRequest
from .bulk_replay_result import BulkReplayResult
from .change_password_request import ChangePasswordRequest
from .component_history import ComponentHistory
from .component_now import ComponentNow
from .component_state import ComponentState
from .config_change import ConfigChange
from .create_api_key_request import CreateApiKeyRequest
from .create_checkout_request import CreateCheckoutRequest
from .create_job_files_body import CreateJobFilesBody
from .create_job_request import CreateJobRequest
from .create_org_invite_request import CreateOrgInviteRequest
from .create_org_request import CreateOrgRequest
from .created_api_key_view import CreatedApiKeyView
from .current_org import CurrentOrg
from .dead_letter_growth import DeadLetterGrowth
from .delete_org_request import DeleteOrgRequest
from .delivery_error import DeliveryError
from .error_body import ErrorBody
from .error_detail import ErrorDetail
from .expired_file import ExpiredFile
from .file import File
from .file_node import FileNode
from .file_tree_node_file_node import FileTreeNodeFileNode
from .file_tree_node_file_node_type import FileTreeNodeFileNodeType
from .file_tree_node_folder_node import FileTreeNodeFolderNode
from .file_tree_node_folder_node_type import FileTreeNodeFolderNodeType
from .folder_node import FolderNode
from .force_logout_result import ForceLogoutResult
from .health_view import HealthView
from .heartbeat import Heartbeat
from .heartbeat_record import HeartbeatRecord
from .heartbeat_response import HeartbeatResponse
from .incident import Incident
from .incident_impact import IncidentImpact
from .incident_list import IncidentList
from .incident_status import IncidentStatus
from .incident_update import IncidentUpdate
from .incident_update_request import IncidentUpdateRequest
from .invite_preview import InvitePreview
from .invite_sent import InviteSent
from .invite_token_request import InviteTokenRequest
from .job import Job
from .job_event import JobEvent
from .job_event_list import JobEventList
from .job_files import JobFiles
from .job_hits import JobHits
from .job_preview import JobPreview
from .job_progress import JobProgress
from .job_sort_by import JobSortBy
from .job_status import JobStatus
from .job_stream_end import JobStreamEnd
from .job_stream_entry import JobStreamEntry
from .login_request import LoginRequest
from .login_response import LoginResponse
from .maintenance import Maintenance
from .maintenance_list import MaintenanceList
from .me_response import MeResponse
from .new_incident_request import NewIncidentRequest
from .new_maintenance_request import NewMaintenanceRequest
from .observability import Observability
from .observability_window import ObservabilityWindow
from .org import Org
from .org_detail import OrgDetail
from .org_invite import OrgInvite
from .org_invite_list import OrgInviteList
from .org_member import OrgMember
from .org_member_list import OrgMemberList
from .org_member_usage import OrgMemberUsage
from .org_membership import OrgMembership
from .org_membership_list import OrgMembershipList
from .org_role import OrgRole
from .overall_status import OverallStatus
from .page_admin_org import PageAdminOrg
from .page_audit_entry import PageAuditEntry
from .page_blocklist_entry import PageBlocklistEntry
from .page_config_change import PageConfigChange
from .page_job import PageJob
from .page_meta import PageMeta
from .page_queue_message import PageQueueMessage
from .page_security_event import PageSecurityEvent
from .page_user import PageUser
from .password_changed import PasswordChanged
from .password_reset_confirm import PasswordResetConfirm
from .password_reset_request import PasswordResetRequest
from .password_reset_requested import PasswordResetRequested
from .plan import Plan
from .plan_envelope import PlanEnvelope
from .plan_list import PlanList
from .plan_retention import PlanRetention
from .plugin_swap_request import PluginSwapRequest
from .policy import Policy
from .policy_envelope import PolicyEnvelope
from .policy_failure import PolicyFailure
from .policy_implementation import PolicyImplementation
from .policy_kind import PolicyKind
from .policy_list import PolicyList
from .preview_cost import PreviewCost
from .preview_file import PreviewFile
from .preview_job_files_body import PreviewJobFilesBody
from .preview_magnet_request import PreviewMagnetRequest
from .queue_message import QueueMessage
from .queue_state import QueueState
from .queue_stats import QueueStats
from .reason_request import ReasonRequest
from .register_request import RegisterRequest
from .rename_job_request import RenameJobRequest
from .rename_org_request import RenameOrgRequest
from .request_point import RequestPoint
from .request_stats import RequestStats
from .retention_dry_run import RetentionDryRun
from .retention_overview import RetentionOverview
from .retention_sweep import RetentionSweep
from .retention_sweep_envelope import RetentionSweepEnvelope
from .role import Role
from .route_stats import RouteStats
from .scheduled_task_state import ScheduledTaskState
from .scope import Scope
from .search_results import SearchResults
from .security_event import SecurityEvent
from .session_info import SessionInfo
from .session_list import SessionList
from .set_org_member_role_request import SetOrgMemberRoleRequest
from .set_role_request import SetRoleRequest
from .set_setting_request import SetSettingRequest
from .setting import Setting
from .setting_list import SettingList
from .severity import Severity
from .signed_url import SignedUrl
from .signed_url_request import SignedUrlRequest
from .sort_dir import SortDir
from .source_kind import SourceKind
from .sp_component import SpComponent
from .sp_component_status import SpComponentStatus
from .sp_incident import SpIncident
from .sp_incident_update import SpIncidentUpdate
from .sp_maintenance_status import SpMaintenanceStatus
from .sp_page import SpPage
from .sp_scheduled_maintenance import SpScheduledMaintenance
from .sp_status import SpStatus
from .sp_status_document import SpStatusDocument
from .sp_summary_document import SpSummaryDocument
from .status_day import StatusDay
from .status_history import StatusHistory
from .status_indicator import StatusIndicator
from .status_now import StatusNow
from .storage_snapshot import StorageSnapshot
from .stream_job_events_response_200 import StreamJobEventsResponse200
from .stripe_webhook_body import StripeWebhookBody
from .stripe_webhook_body_data import StripeWebhookBodyData
from .subscription import Subscription
from .subscription_status import SubscriptionStatus
from .suspension_result import SuspensionResult
from .system_snapshot import SystemSnapshot
from .transfer_org_request import TransferOrgRequest
from .update_me_request import UpdateMeRequest
from .uptime import Uptime
from .usage import Usage
from .user import User
from .user_envelope import UserEnvelope
from .user_hits import UserHits
from .verification_email_requested import VerificationEmailRequested
from .verify_email_request import VerifyEmailRequest
from .webhook_received import WebhookReceived
from .worker import Worker
from .worker_detail_view import WorkerDetailView
from .worker_envelope import WorkerEnvelope
from .worker_list import WorkerList
from .worker_status import WorkerStatus

__all__ = (
    "AcceptInviteRequest",
    "AdminActionRequest",
    "AdminOrg",
    "AdminUsage",
    "AdminUserDetail",
    "Alert",
    "AlertList",
    "AlertSection",
    "AlertSeverity",
    "ApiKey",
    "ApiKeyList",
    "AssignPlanRequest",
    "AuditEntry",
    "AuditHits",
    "Bandwidth",
    "Billing",
    "BillingRedirect",
    "BlocklistEntry",
    "BlockRequest",
    "BlockResponse",
    "BulkReplayRequest",
    "BulkReplayResult",
    "ChangePasswordRequest",
    "ComponentHistory",
    "ComponentNow",
    "ComponentState",
    "ConfigChange",
    "CreateApiKeyRequest",
    "CreateCheckoutRequest",
    "CreatedApiKeyView",
    "CreateJobFilesBody",
    "CreateJobRequest",
    "CreateOrgInviteRequest",
    "CreateOrgRequest",
    "CurrentOrg",
    "DeadLetterGrowth",
    "DeleteOrgRequest",
    "DeliveryError",
    "ErrorBody",
    "ErrorDetail",
    "ExpiredFile",
    "File",
    "FileNode",
    "FileTreeNodeFileNode",
    "FileTreeNodeFileNodeType",
    "FileTreeNodeFolderNode",
    "FileTreeNodeFolderNodeType",
    "FolderNode",
    "ForceLogoutResult",
    "HealthView",
    "Heartbeat",
    "HeartbeatRecord",
    "HeartbeatResponse",
    "Incident",
    "IncidentImpact",
    "IncidentList",
    "IncidentStatus",
    "IncidentUpdate",
    "IncidentUpdateRequest",
    "InvitePreview",
    "InviteSent",
    "InviteTokenRequest",
    "Job",
    "JobEvent",
    "JobEventList",
    "JobFiles",
    "JobHits",
    "JobPreview",
    "JobProgress",
    "JobSortBy",
    "JobStatus",
    "JobStreamEnd",
    "JobStreamEntry",
    "LoginRequest",
    "LoginResponse",
    "Maintenance",
    "MaintenanceList",
    "MeResponse",
    "NewIncidentRequest",
    "NewMaintenanceRequest",
    "Observability",
    "ObservabilityWindow",
    "Org",
    "OrgDetail",
    "OrgInvite",
    "OrgInviteList",
    "OrgMember",
    "OrgMemberList",
    "OrgMembership",
    "OrgMembershipList",
    "OrgMemberUsage",
    "OrgRole",
    "OverallStatus",
    "PageAdminOrg",
    "PageAuditEntry",
    "PageBlocklistEntry",
    "PageConfigChange",
    "PageJob",
    "PageMeta",
    "PageQueueMessage",
    "PageSecurityEvent",
    "PageUser",
    "PasswordChanged",
    "PasswordResetConfirm",
    "PasswordResetRequest",
    "PasswordResetRequested",
    "Plan",
    "PlanEnvelope",
    "PlanList",
    "PlanRetention",
    "PluginSwapRequest",
    "Policy",
    "PolicyEnvelope",
    "PolicyFailure",
    "PolicyImplementation",
    "PolicyKind",
    "PolicyList",
    "PreviewCost",
    "PreviewFile",
    "PreviewJobFilesBody",
    "PreviewMagnetRequest",
    "QueueMessage",
    "QueueState",
    "QueueStats",
    "ReasonRequest",
    "RegisterRequest",
    "RenameJobRequest",
    "RenameOrgRequest",
    "RequestPoint",
    "RequestStats",
    "RetentionDryRun",
    "RetentionOverview",
    "RetentionSweep",
    "RetentionSweepEnvelope",
    "Role",
    "RouteStats",
    "ScheduledTaskState",
    "Scope",
    "SearchResults",
    "SecurityEvent",
    "SessionInfo",
    "SessionList",
    "SetOrgMemberRoleRequest",
    "SetRoleRequest",
    "SetSettingRequest",
    "Setting",
    "SettingList",
    "Severity",
    "SignedUrl",
    "SignedUrlRequest",
    "SortDir",
    "SourceKind",
    "SpComponent",
    "SpComponentStatus",
    "SpIncident",
    "SpIncidentUpdate",
    "SpMaintenanceStatus",
    "SpPage",
    "SpScheduledMaintenance",
    "SpStatus",
    "SpStatusDocument",
    "SpSummaryDocument",
    "StatusDay",
    "StatusHistory",
    "StatusIndicator",
    "StatusNow",
    "StorageSnapshot",
    "StreamJobEventsResponse200",
    "StripeWebhookBody",
    "StripeWebhookBodyData",
    "Subscription",
    "SubscriptionStatus",
    "SuspensionResult",
    "SystemSnapshot",
    "TransferOrgRequest",
    "UpdateMeRequest",
    "Uptime",
    "Usage",
    "User",
    "UserEnvelope",
    "UserHits",
    "VerificationEmailRequested",
    "VerifyEmailRequest",
    "WebhookReceived",
    "Worker",
    "WorkerDetailView",
    "WorkerEnvelope",
    "WorkerList",
    "WorkerStatus",
)
