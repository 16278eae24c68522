package com.bridgeai.infra.modules.aws.eks;

import com.hashicorp.cdktf.providers.aws.db_instance.DbInstance;
import com.hashicorp.cdktf.providers.aws.db_instance.DbInstanceConfig;
import com.hashicorp.cdktf.providers.aws.db_subnet_group.DbSubnetGroup;
import com.hashicorp.cdktf.providers.aws.db_subnet_group.DbSubnetGroupConfig;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroup;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroupConfig;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroupIngress;
import java.util.List;
import java.util.Map;
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
 *   <li>the master password generated and kept by RDS in Secrets Manager
 *       ({@code manage_master_user_password}): it is never in Terraform's configuration, and
 *       the flux stack reads it at apply time into the apps' Kubernetes secrets;</li>
 *   <li>7 days of automated backups, minor versions patched by AWS, deletion protection and a
 *       final snapshot on destroy.</li>
 * </ul>
 * RDS's default parameter groups for PostgreSQL 15+ set {@code rds.force_ssl = 1}: clients
 * connect with TLS ({@code sslmode=require} in the connection strings).
 */
public final class AppsDatabase extends Construct {
    /** The newest PostgreSQL major every pinned app supports (Airflow 3.x: 13-17 tested, MLflow via SQLAlchemy). */
    public static final String ENGINE_VERSION = "17";
    public static final int PORT = 5432;
    /** The database RDS creates with the instance: Airflow's. MLflow's is created by its init container. */
    public static final String AIRFLOW_DATABASE = "airflow";
    public static final String MLFLOW_DATABASE = "mlflow";
    public static final String MASTER_USERNAME = "bridgeai";
    static final int BACKUP_RETENTION_DAYS = 7;

    private final String address;
    private final String secretArn;
    private final String identifier;

    /**
     * @param name            instance identifier, e.g. {@code mlops-prod-apps} (also names the subnet and security groups)
     * @param vpcId           the env's VPC
     * @param subnetIds       its private subnets
     * @param clientGroupId   the cluster security group: the only source admitted on 5432 (real AWS)
     * @param clientCidrs     the emulated env only (moto returns no cluster security group): the private subnets' CIDRs
     * @param instanceClass   e.g. db.t4g.small
     * @param emulated        against the emulator: no deletion protection and no final snapshot, so
     *                        the round trip's destroy leaves nothing behind (README, emulator table)
     */
    public AppsDatabase(Construct scope, String id, String name, String vpcId, List<String> subnetIds,
            String clientGroupId, List<String> clientCidrs, String instanceClass, boolean emulated) {
        super(scope, id);
        identifier = name;
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
                .allocatedStorage(20)
                .maxAllocatedStorage(100)
                .storageType("gp3")
                .storageEncrypted(true)
                .dbName(AIRFLOW_DATABASE)
                .username(MASTER_USERNAME)
                .manageMasterUserPassword(true)
                .port(PORT)
                .dbSubnetGroupName(subnets.getName())
                .vpcSecurityGroupIds(List.of(group.getId()))
                .publiclyAccessible(false)
                .multiAz(false) // one instance: the apps' metadata, restorable from backups; Multi-AZ doubles the cost
                .backupRetentionPeriod(BACKUP_RETENTION_DAYS)
                .copyTagsToSnapshot(true)
                .deletionProtection(!emulated)
                .skipFinalSnapshot(emulated)
                .finalSnapshotIdentifier(emulated ? null : name + "-final")
                .applyImmediately(false)
                .build());
        address = db.getAddress();
        secretArn = db.getMasterUserSecret().get(0).getSecretArn();
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
}
