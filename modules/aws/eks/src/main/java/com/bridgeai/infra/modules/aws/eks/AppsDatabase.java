package com.bridgeai.infra.modules.aws.eks;

import com.bridgeai.infra.modules.aws.kms.AwsAccount;
import com.bridgeai.infra.modules.aws.kms.CustomerKey;
import com.bridgeai.infra.modules.gitops.Pinned;
import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.ITerraformDependable;
import com.hashicorp.cdktf.TerraformResourceLifecycle;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroup;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroupConfig;
import com.hashicorp.cdktf.providers.aws.db_instance.DbInstance;
import com.hashicorp.cdktf.providers.aws.db_instance.DbInstanceConfig;
import com.hashicorp.cdktf.providers.aws.db_parameter_group.DbParameterGroup;
import com.hashicorp.cdktf.providers.aws.db_parameter_group.DbParameterGroupConfig;
import com.hashicorp.cdktf.providers.aws.db_parameter_group.DbParameterGroupParameter;
import com.hashicorp.cdktf.providers.aws.db_subnet_group.DbSubnetGroup;
import com.hashicorp.cdktf.providers.aws.db_subnet_group.DbSubnetGroupConfig;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRole;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRoleConfig;
import com.hashicorp.cdktf.providers.aws.iam_role_policy_attachment.IamRolePolicyAttachment;
import com.hashicorp.cdktf.providers.aws.iam_role_policy_attachment.IamRolePolicyAttachmentConfig;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroup;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroupConfig;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroupIngress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.constructs.Construct;

/**
 * One Amazon RDS for PostgreSQL instance for Airflow's and MLflow's metadata, instead of the
 * charts' bundled PostgreSQL (Bitnami's free images moved to bitnamilegacy in 2025 and get no
 * security updates). Secure by default:
 * <ul>
 *   <li>in the private subnets, not publicly accessible;</li>
 *   <li>a security group that admits PostgreSQL (5432) from the cluster's security group only
 *       (EKS puts it on the control plane and on managed nodes without their own groups) and
 *       has no egress rule (Terraform removes AWS's default allow-all);</li>
 *   <li>storage encrypted (the account's aws/rds key), gp3, growing on its own up to 100 GiB;</li>
 *   <li>the master password generated, kept and rotated (every 7 days, RDS's default) by RDS in
 *       Secrets Manager ({@code manage_master_user_password}), encrypted with a customer key of
 *       its own ({@link #credentialsKeyArn()}, also the apps' login secrets' key, so one key
 *       grant covers every database credential): it is never in Terraform's configuration or
 *       state. Only the in-cluster credentials job reads it (modules/apps, database); the apps
 *       log in as their own roles;</li>
 *   <li>7 days of automated backups, minor versions patched by AWS, deletion protection and a
 *       final snapshot on destroy;</li>
 *   <li>Multi-AZ by default (a standby in a second AZ: Airflow's scheduler and MLflow stop
 *       without their metadata, and the GPU nodes they drive cost far more than a standby);</li>
 *   <li>a parameter group of its own: TLS required ({@code rds.force_ssl = 1}, said explicitly
 *       rather than inherited from RDS's default group), DDL statements and statements slower
 *       than 1 s logged;</li>
 *   <li>the {@code postgresql} and {@code upgrade} logs exported to CloudWatch Logs, into log
 *       groups this construct creates first (so RDS does not create unencrypted, never-expiring
 *       ones) with the env's retention and a customer key;</li>
 *   <li>Enhanced Monitoring (OS metrics every 60 s, through a role only RDS of this account may
 *       assume) and Performance Insights (Database Insights standard mode: 7 days, free)
 *       encrypted with the same customer key;</li>
 *   <li>IAM database authentication enabled (a login through {@code rds-db:connect} needs a
 *       database user granted {@code rds_iam}: nobody has one until an admin creates it; the
 *       apps keep using the password).</li>
 * </ul>
 */
public final class AppsDatabase extends Construct {
    /** The newest PostgreSQL major every pinned app supports (Airflow 3.x: 13-17 tested, MLflow via SQLAlchemy). */
    @Pinned(name = "PostgreSQL major (RDS)", source = "https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/", verified = "2026-11-30")
    public static final String ENGINE_VERSION = "17";
    public static final int PORT = 5432;
    /** The gp3 storage the instance starts with, in GB (it grows on its own up to {@link #MAX_STORAGE_GIB}). */
    public static final int STORAGE_GIB = 20;
    public static final int MAX_STORAGE_GIB = 100;
    /** The database RDS creates with the instance: Airflow's. The credentials job (modules/apps, database) creates MLflow's and hands both to their roles. */
    public static final String AIRFLOW_DATABASE = "airflow";
    public static final String MLFLOW_DATABASE = "mlflow";
    public static final String MASTER_USERNAME = "bridgeai";
    static final int BACKUP_RETENTION_DAYS = 7;
    /** Enhanced Monitoring's sampling interval: the longest (cheapest) RDS offers. */
    static final int MONITORING_INTERVAL_SECONDS = 60;
    /** Performance Insights' retention: 7 days is the free tier (Database Insights standard mode). */
    static final int PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;
    /** The logs PostgreSQL on RDS can export to CloudWatch Logs: the server log and the major-version upgrade log. */
    public static final List<String> LOG_EXPORTS = List.of("postgresql", "upgrade");
    /** Statements slower than this are logged with their duration (the scheduler's slow queries show up). */
    static final String SLOW_STATEMENT_MS = "1000";

    private final String address;
    private final String secretArn;
    private final String credentialsKeyArn;
    private final String identifier;

    /**
     * @param name            instance identifier, e.g. {@code mlops-prod-apps} (also names the subnet and security groups)
     * @param vpcId           the env's VPC
     * @param subnetIds       its private subnets
     * @param clientGroupId   the cluster security group: the only source admitted on 5432 (real AWS)
     * @param clientCidrs     the emulated env only (moto returns no cluster security group): the private subnets' CIDRs
     * @param instanceClass   e.g. db.t4g.small
     * @param multiAz         a standby instance in a second AZ (env key db_multi_az)
     * @param logRetentionDays retention of the exported PostgreSQL logs (the env's log_retention_days)
     * @param account         where the stack deploys: the key policy and the monitoring role's trust
     * @param emulated        against the emulator: no deletion protection and no final snapshot, so
     *                        the round trip's destroy leaves nothing behind; drift on what moto does
     *                        not echo back ignored (README, emulator table)
     */
    public AppsDatabase(Construct scope, String id, String name, String vpcId, List<String> subnetIds,
            String clientGroupId, List<String> clientCidrs, String instanceClass, boolean multiAz,
            int logRetentionDays, AwsAccount account, boolean emulated) {
        super(scope, id);
        identifier = name;
        // one key for what RDS writes about the database outside it: the exported logs (CloudWatch
        // Logs needs the key policy's statement) and Performance Insights (RDS uses it through
        // grants the deploying identity's IAM rights allow: the root statement)
        String logGroupPrefix = "/aws/rds/instance/" + name + "/";
        CustomerKey key = new CustomerKey(this, "telemetry_key", name + "-db-telemetry",
                "Encryption of the exported logs and Performance Insights data of the RDS instance " + name,
                account, List.of(new CustomerKey.CloudWatchLogs(logGroupPrefix)));
        // the database credentials' key: the master secret RDS keeps, and the apps' login secrets
        // (modules/apps, database). A customer key so that an IAM policy can grant decrypt on
        // exactly it (the AWS-managed aws/secretsmanager key cannot be scoped per secret)
        CustomerKey credentialsKey = new CustomerKey(this, "credentials_key", name + "-db-credentials",
                "Encryption of the database credentials of the RDS instance " + name + " in Secrets Manager",
                account, List.of());
        credentialsKeyArn = credentialsKey.arn();
        List<ITerraformDependable> logGroups = new ArrayList<>();
        for (String log : LOG_EXPORTS) {
            // the name RDS exports to: created first, so RDS does not create it unencrypted and unexpiring
            logGroups.add(new CloudwatchLogGroup(this, "log_group_" + log, CloudwatchLogGroupConfig.builder()
                    .name(logGroupPrefix + log)
                    .retentionInDays(logRetentionDays)
                    .kmsKeyId(key.arn())
                    .build()));
        }
        IamRole monitoringRole = new IamRole(this, "monitoring_role", IamRoleConfig.builder()
                .name(name + "-rds-monitoring")
                .description("Enhanced Monitoring of the RDS instance " + name + " (RDS publishes OS metrics to CloudWatch Logs)")
                .assumeRolePolicy(monitoringTrust(account))
                .build());
        IamRolePolicyAttachment monitoringPolicy = new IamRolePolicyAttachment(this, "monitoring_policy",
                IamRolePolicyAttachmentConfig.builder()
                        .role(monitoringRole.getName())
                        .policyArn("arn:" + account.partition() + ":iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole")
                        .build());
        logGroups.add(monitoringPolicy); // RDS checks at creation that it may assume the role with its policy
        DbParameterGroupConfig.Builder parameters = DbParameterGroupConfig.builder()
                .name(name + "-postgres" + ENGINE_VERSION)
                .family("postgres" + ENGINE_VERSION)
                .description("PostgreSQL " + ENGINE_VERSION + " of " + name + ": TLS only, DDL and slow statements logged")
                .parameter(List.of(
                        parameter("rds.force_ssl", "1"),
                        // schema changes (who created or dropped what) without the data statements;
                        // CREATE/ALTER ROLE ... PASSWORD typed in clear would be logged too: use psql's \password
                        parameter("log_statement", "ddl"),
                        parameter("log_min_duration_statement", SLOW_STATEMENT_MS)));
        if (emulated) {
            // moto stores the parameters but returns none on DescribeDBParameters (README, emulator table)
            parameters.lifecycle(TerraformResourceLifecycle.builder().ignoreChanges(List.of("parameter")).build());
        }
        DbParameterGroup parameterGroup = new DbParameterGroup(this, "parameter_group", parameters.build());
        DbSubnetGroup subnets = new DbSubnetGroup(this, "subnet_group", DbSubnetGroupConfig.builder()
                .name(name)
                .description("Private subnets of " + name)
                .subnetIds(subnetIds)
                .build());
        SecurityGroupIngress.Builder ingress = SecurityGroupIngress.builder()
                .protocol("tcp").fromPort(PORT).toPort(PORT);
        if (emulated) {
            ingress.description("PostgreSQL from the private subnets (emulated env: no cluster security group)")
                    .cidrBlocks(clientCidrs);
        } else {
            ingress.description("PostgreSQL from the EKS cluster's nodes (cluster security group)")
                    .securityGroups(List.of(clientGroupId));
        }
        SecurityGroup group = new SecurityGroup(this, "security_group", SecurityGroupConfig.builder()
                .name(name + "-db")
                .description("PostgreSQL of " + name + " from the cluster only")
                .vpcId(vpcId)
                .ingress(List.of(ingress.build()))
                .tags(Map.of("Name", name + "-db"))
                .build());
        DbInstance db = new DbInstance(this, "instance", DbInstanceConfig.builder()
                .identifier(name)
                .engine("postgres")
                .engineVersion(ENGINE_VERSION)
                .autoMinorVersionUpgrade(true)
                .instanceClass(instanceClass)
                .allocatedStorage(STORAGE_GIB)
                .maxAllocatedStorage(MAX_STORAGE_GIB)
                .storageType("gp3")
                .storageEncrypted(true)
                .dbName(AIRFLOW_DATABASE)
                .username(MASTER_USERNAME)
                .manageMasterUserPassword(true)
                .masterUserSecretKmsKeyId(credentialsKeyArn)
                .port(PORT)
                .dbSubnetGroupName(subnets.getName())
                .vpcSecurityGroupIds(List.of(group.getId()))
                .publiclyAccessible(false)
                .multiAz(multiAz)
                .parameterGroupName(parameterGroup.getName())
                .iamDatabaseAuthenticationEnabled(true)
                .enabledCloudwatchLogsExports(LOG_EXPORTS)
                .monitoringInterval(MONITORING_INTERVAL_SECONDS)
                .monitoringRoleArn(monitoringRole.getArn())
                .performanceInsightsEnabled(true)
                .performanceInsightsKmsKeyId(key.arn())
                .performanceInsightsRetentionPeriod(PERFORMANCE_INSIGHTS_RETENTION_DAYS)
                .backupRetentionPeriod(BACKUP_RETENTION_DAYS)
                .copyTagsToSnapshot(true)
                .deletionProtection(!emulated)
                .skipFinalSnapshot(emulated)
                .finalSnapshotIdentifier(emulated ? null : name + "-final")
                .applyImmediately(false)
                .dependsOn(logGroups)
                .lifecycle(emulated
                        // moto 5.2 accepts but drops Enhanced Monitoring and Performance Insights
                        // (returns interval 0, PI off): drift the emulator invents (README, emulator table)
                        ? TerraformResourceLifecycle.builder().ignoreChanges(List.of("monitoring_interval", "monitoring_role_arn",
                                "performance_insights_enabled", "performance_insights_kms_key_id",
                                "performance_insights_retention_period")).build()
                        : null)
                .build());
        address = db.getAddress();
        secretArn = db.getMasterUserSecret().get(0).getSecretArn();
    }

    private static DbParameterGroupParameter parameter(String name, String value) {
        return DbParameterGroupParameter.builder().name(name).value(value).build();
    }

    /** RDS's monitoring service of this account only (the confused-deputy guard AWS recommends). */
    private static String monitoringTrust(AwsAccount account) {
        // TreeMaps: jsonencode keeps a Map.of's per-JVM random key order in its text
        return Fn.jsonencode(new TreeMap<>(Map.of("Version", "2012-10-17", "Statement", List.of(new TreeMap<>(Map.of(
                "Effect", "Allow",
                "Principal", new TreeMap<>(Map.of("Service", "monitoring.rds.amazonaws.com")),
                "Action", "sts:AssumeRole",
                "Condition", new TreeMap<>(Map.of("StringEquals", new TreeMap<>(Map.of("aws:SourceAccount", account.accountId()))))))))));
    }

    /** The instance's DNS name inside the VPC. */
    public String address() {
        return address;
    }

    /** The Secrets Manager secret (JSON {username, password}) RDS keeps the master password in. */
    public String masterUserSecretArn() {
        return secretArn;
    }

    public String identifier() {
        return identifier;
    }

    /** The customer key of the master secret, for the apps' login secrets too. */
    public String credentialsKeyArn() {
        return credentialsKeyArn;
    }

    /** The Secrets Manager secret name of an app's login to its own database ({@code <identifier>/<app>}). */
    public static String appSecretName(String identifier, String app) {
        return identifier + "/" + app;
    }
}
