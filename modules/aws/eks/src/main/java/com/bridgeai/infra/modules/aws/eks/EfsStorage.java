package com.bridgeai.infra.modules.aws.eks;

import com.bridgeai.infra.modules.aws.kms.AwsAccount;
import com.bridgeai.infra.modules.aws.kms.CustomerKey;
import com.hashicorp.cdktf.providers.aws.efs_file_system.EfsFileSystem;
import com.hashicorp.cdktf.providers.aws.efs_file_system.EfsFileSystemConfig;
import com.hashicorp.cdktf.providers.aws.efs_mount_target.EfsMountTarget;
import com.hashicorp.cdktf.providers.aws.efs_mount_target.EfsMountTargetConfig;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroup;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroupConfig;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroupIngress;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * The EFS file system behind the aws-efs-csi-driver's storage class (shared, ReadWriteMany
 * volumes such as Airflow DAGs and logs): encrypted with a customer key of its own (the key
 * policy, not only IAM, says who may read the data), one mount target per private subnet,
 * NFS reachable from inside the VPC only.
 */
public final class EfsStorage extends Construct {
    private final String fileSystemId;

    public EfsStorage(Construct scope, String id, String name, String vpcId, String vpcCidr, List<String> subnetIds,
                      AwsAccount account) {
        super(scope, id);
        // EFS uses the key through grants made by whoever creates the file system (account IAM);
        // pods mounting it need no KMS permission
        CustomerKey key = new CustomerKey(this, "key", name + "-efs", "Encryption at rest of the EFS file system of " + name,
                account, List.of());
        EfsFileSystem fileSystem = new EfsFileSystem(this, "file_system", EfsFileSystemConfig.builder()
                .creationToken(name + "-efs")
                .encrypted(true)
                .kmsKeyId(key.arn())
                .performanceMode("generalPurpose")
                .throughputMode("elastic")
                .tags(Map.of("Name", name + "-efs"))
                .build());
        fileSystemId = fileSystem.getId(); // read once: each attribute read is a jsii round trip
        SecurityGroup nfs = new SecurityGroup(this, "nfs", SecurityGroupConfig.builder()
                .name(name + "-efs-nfs")
                .description("NFS to the EFS mount targets from inside the VPC")
                .vpcId(vpcId)
                .ingress(List.of(SecurityGroupIngress.builder()
                        .description("NFS from the VPC")
                        .protocol("tcp").fromPort(2049).toPort(2049)
                        .cidrBlocks(List.of(vpcCidr))
                        .build()))
                .build());
        String securityGroupId = nfs.getId();
        for (int i = 0; i < subnetIds.size(); i++) {
            new EfsMountTarget(this, "mount_target_" + i, EfsMountTargetConfig.builder()
                    .fileSystemId(fileSystemId)
                    .subnetId(subnetIds.get(i))
                    .securityGroups(List.of(securityGroupId))
                    .build());
        }
    }

    public String fileSystemId() {
        return fileSystemId;
    }
}
