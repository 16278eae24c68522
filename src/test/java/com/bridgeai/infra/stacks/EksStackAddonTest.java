package com.bridgeai.infra.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfigLoader;
import com.bridgeai.infra.modules.aws.eks.EksProps;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link EksStack#addon}: how an env.yaml add-on gets its service-account role (no synth needed). */
class EksStackAddonTest {
    static final EnvConfig TEST = EnvConfigLoader.load(SynthFixture.TEST_ENV);
    /** Stands in for the caller-identity token the stack passes. */
    static final String ACCOUNT = "${data.aws_caller_identity.caller.account_id}";

    static EksProps.Addon map(String name, String arn) {
        return EksStack.addon(TEST, new EnvConfig.Addon(name, "v1.0.0-eksbuild.1", Optional.ofNullable(arn)), ACCOUNT);
    }

    @Test
    void aConcreteArnIsUsedAsIs() {
        String arn = "arn:aws:iam::123456789012:role/MyEbsRole";
        EksProps.Addon a = map("aws-ebs-csi-driver", arn);
        assertEquals(Optional.of(arn), a.existingRoleArn());
        assertEquals(Optional.empty(), a.createRoleName());
    }

    @Test
    void thePlaceholderArnOfAKnownAddOnNamesTheRoleTheStackCreates() {
        EksProps.Addon ebs = map("aws-ebs-csi-driver", "arn:aws:iam::<aws_account_id>:role/AmazonEKS_EBS_CSI_DriverRole");
        assertEquals(Optional.of("AmazonEKS_EBS_CSI_DriverRole"), ebs.createRoleName());
        assertEquals(Optional.empty(), ebs.existingRoleArn());
        EksProps.Addon efs = map("aws-efs-csi-driver", "arn:aws:iam::<aws_account_id>:role/AmazonEKS_EFS_CSI_DriverRole");
        assertEquals(Optional.of("AmazonEKS_EFS_CSI_DriverRole"), efs.createRoleName());
    }

    @Test
    void aPathInThePlaceholderArnStaysWithTheRoleToCreate() {
        EksProps.Addon ebs = map("aws-ebs-csi-driver", "arn:aws:iam::<aws_account_id>:role/service-role/eks/EbsRole");
        assertEquals(Optional.of("service-role/eks/EbsRole"), ebs.createRoleName());
    }

    @Test
    void thePlaceholderOfAnAddOnWithoutAKnownIrsaPolicyBecomesTheDeployingAccount() {
        EksProps.Addon a = map("adot", "arn:aws:iam::<aws_account_id>:role/AdotCollectorRole");
        assertEquals(Optional.of("arn:aws:iam::" + ACCOUNT + ":role/AdotCollectorRole"), a.existingRoleArn());
        assertEquals(Optional.empty(), a.createRoleName());
        // also for one that needs no role at all: the user asked for this role
        assertEquals(Optional.of("arn:aws:iam::" + ACCOUNT + ":role/CniRole"),
                map("vpc-cni", "arn:aws:iam::<aws_account_id>:role/CniRole").existingRoleArn());
    }

    @Test
    void noArnCreatesAClusterNamedRoleForAKnownAddOnAndNoneOtherwise() {
        EksProps.Addon efs = map("aws-efs-csi-driver", null);
        assertEquals(Optional.of("mlops-test-cluster-aws-efs-csi-driver"), efs.createRoleName());
        assertEquals(Optional.empty(), efs.existingRoleArn());
        EksProps.Addon cni = map("vpc-cni", null);
        assertEquals(Optional.empty(), cni.createRoleName());
        assertEquals(Optional.empty(), cni.existingRoleArn());
    }

    @Test
    void nameAndVersionPassThrough() {
        EksProps.Addon a = map("aws-ebs-csi-driver", null);
        assertEquals("aws-ebs-csi-driver", a.name());
        assertEquals("v1.0.0-eksbuild.1", a.version());
    }
}
